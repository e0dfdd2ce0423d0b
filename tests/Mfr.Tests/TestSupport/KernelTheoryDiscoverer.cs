using Mfr.Numerics;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Mfr.Tests.TestSupport;

/// <summary>
/// Discovers <see cref="KernelTheoryAttribute"/> theories: xunit 2 has no dynamic skip (xunit 3's
/// <c>Assert.Skip</c>), so each data row naming a variant the machine cannot run becomes a skipped test
/// case carrying <see cref="IKernelVariant.UnsupportedReason"/>.
/// </summary>
/// <param name="diagnosticMessageSink">xunit's diagnostics.</param>
public sealed class KernelTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow)
    {
        string family = theoryAttribute.GetConstructorArguments().OfType<string>().Single();
        string? reason = dataRow is [string variant, ..] ? KernelVariants.SkipReason(family, variant) : null;
        if (reason is null) return base.CreateTestCasesForDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow);
        return [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason, dataRow)];
    }
}
