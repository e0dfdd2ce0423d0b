namespace Mfr.Matching;

/// <summary>The two smallest reduced values of a row and their columns (-1 and +inf when absent).</summary>
internal readonly record struct TwoSmallest(double First, int FirstColumn, double Second, int SecondColumn);
