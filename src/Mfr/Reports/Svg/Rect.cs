namespace Mfr.Reports.Svg;

/// <summary>An axis-aligned rectangle in pixels (y grows downwards).</summary>
internal readonly record struct Rect(double Left, double Top, double Width, double Height)
{
    public double Right => Left + Width;

    public double Bottom => Top + Height;

    public double CenterX => Left + Width / 2;

    public double CenterY => Top + Height / 2;

    public bool Contains(double x, double y) => x >= Left && x <= Right && y >= Top && y <= Bottom;

    public bool Intersects(Rect other) => Left < other.Right && other.Left < Right && Top < other.Bottom && other.Top < Bottom;

    public Rect Inflate(double by) => new(Left - by, Top - by, Width + 2 * by, Height + 2 * by);
}
