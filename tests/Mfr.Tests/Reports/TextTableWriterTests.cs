using Mfr.Reports;

namespace Mfr.Tests.Reports;

public sealed class TextTableWriterTests
{
    public sealed class TheWriteMethod
    {
        [Fact]
        public void AlignsNumberColumnsRight_TextColumnsLeft_HeadersWithTheirColumn_Snapshot()
        {
            // Given a text column, a number column with a placeholder, and a caption
            var table = new ReportTable(["name", "value"], "Two columns.").AddRow("alpha", "1.5").AddRow("b", "-").AddRow("gamma", "-12.25");

            // When
            string text = TextTableWriter.Write(table);

            // Then
            Assert.Equal(
                """
                Two columns.
                name    value
                -----  ------
                alpha     1.5
                b           -
                gamma  -12.25

                """.ReplaceLineEndings("\n"),
                text);
        }

        [Fact]
        public void HonoursAnAlignmentSetOnTheColumn_AndEndsNoLineWithSpaces()
        {
            // Given "+-" spreads, which are not numbers to NumericText, set right; a centred column; no caption
            var table = new ReportTable(["MSE", "mid", "note"]).AddRow("0.6 +- 0.14", "x", "").AddRow("0.6 +- 0", "yyy", "")
                .WithAlignment(0, ColumnAlignment.Right).WithAlignment(1, ColumnAlignment.Center);

            // When
            string text = TextTableWriter.Write(table);

            // Then
            Assert.Equal(
                """
                        MSE  mid  note
                -----------  ---  ----
                0.6 +- 0.14   x
                   0.6 +- 0  yyy

                """.ReplaceLineEndings("\n"),
                text);
        }
    }
}
