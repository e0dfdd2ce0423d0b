using System.Text;
using Mfr.IO;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Write_CreatesFileWithContentAndNoTemporary()
    {
        string path = folder.File("a.bin");

        AtomicFile.Write(path, stream => stream.Write([1, 2, 3]));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["a.bin"], folder.FileNames());
    }

    [Fact]
    public void Write_ReplacesExistingFile()
    {
        string path = folder.File("a.txt");
        File.WriteAllText(path, "old content that is longer");

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void Write_WhenActionThrows_KeepsOldContentAndRemovesTemporary()
    {
        // Given an existing file
        string path = folder.File("cfg.json");
        File.WriteAllText(path, "old");

        // When a write fails half-way
        var exception = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half-written"u8);
            throw new InvalidOperationException("disk on fire");
        }));

        // Then the old content is intact and nothing else is left
        Assert.Equal("disk on fire", exception.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["cfg.json"], folder.FileNames());
    }

    [Fact]
    public void Write_WhenActionThrowsAndNoOldFile_LeavesNothing()
    {
        string path = folder.File("new.bin");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException()));

        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public void WriteAllText_IsUtf8WithoutByteOrderMark()
    {
        string path = folder.File("t.txt");

        AtomicFile.WriteAllText(path, "é");

        Assert.Equal(Encoding.UTF8.GetBytes("é"), File.ReadAllBytes(path));
    }

    [Fact]
    public void WriteAllBytes_WritesBytes()
    {
        string path = folder.File("b.bin");

        AtomicFile.WriteAllBytes(path, [9, 8, 7, 6]);

        Assert.Equal([9, 8, 7, 6], File.ReadAllBytes(path));
    }

    [Fact]
    public void Write_IntoMissingFolder_SaysWhichFolder()
    {
        string path = Path.Combine(folder.Path, "missing", "a.bin");

        var exception = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(path, "x"));

        Assert.Contains("missing", exception.Message);
    }

    [Fact]
    public void ConcurrentWriters_LeaveOneCompleteVersion()
    {
        // Given eight writers racing to replace the same file with 1 MB of their own byte
        string path = folder.File("race.bin");

        // When
        Parallel.For(0, 8, i => AtomicFile.Write(path, stream =>
        {
            var block = new byte[1 << 16];
            Array.Fill(block, (byte)i);
            for (int k = 0; k < 16; k++) stream.Write(block);
        }));

        // Then the file is one writer's complete content, and no temporary is left
        byte[] content = File.ReadAllBytes(path);
        Assert.Equal(1 << 20, content.Length);
        Assert.True(content.AsSpan().IndexOfAnyExcept(content[0]) < 0, "the file mixes content from several writers");
        Assert.Equal(["race.bin"], folder.FileNames());
    }

    [Fact]
    public void ATemporaryFileOfAnInterruptedWrite_IsRecognisedAsOne_AndNothingElseIs()
    {
        // Given a write in progress (what a kill leaves behind)
        string path = folder.File("train.npy");
        using var writer = new AtomicFileWriter(path);

        // Then its temporary file is recognised, and ordinary names, a committed file included, are not
        Assert.True(AtomicFileWriter.IsTemporaryFileName(System.IO.Path.GetFileName(writer.TemporaryPath)));
        Assert.False(AtomicFileWriter.IsTemporaryFileName("train.npy"));
        Assert.False(AtomicFileWriter.IsTemporaryFileName("notes.tmp"));
        Assert.False(AtomicFileWriter.IsTemporaryFileName(".train.npy.tmp"));
    }

    [Fact]
    public void DirectorySync_FlushesAFolder_OnUnix()
    {
        // A folder cannot be opened through .NET, so this goes through libc: it must resolve and succeed.
        Assert.Equal(!OperatingSystem.IsWindows(), DirectorySync.Flush(folder.Path));
    }
}
