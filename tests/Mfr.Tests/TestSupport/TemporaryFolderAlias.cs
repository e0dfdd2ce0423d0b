// Transitional: tests written against the old Eeg/IO TemporaryFolder helpers on other branches
// (Data/DataSourcesTests, Eeg/EegHeldOutCheckTests) keep compiling after the merge. Rename their
// 'TemporaryFolder' to 'TemporaryDirectory' and delete this file.
#pragma warning disable IDE0005 // unused on the branch that consolidated the helpers, used once merged
global using TemporaryFolder = Mfr.Tests.TestSupport.TemporaryDirectory;
#pragma warning restore IDE0005
