using System.Numerics;

namespace Mfr.Synthetic.SynthSaeBench;

/// <summary>
/// The standard normal quantile and upper tail that the Gaussian copula needs. SAELens thresholds
/// its latent at <c>norm.ppf(1 - p) = sqrt(2) erfinv(1 - 2p)</c> (activation_generator.py); here the
/// quantile is Wichura's AS241 (Applied Statistics 37(3), 1988), accurate to about 1e-16, and the
/// upper tail Q(x) = P(Z &gt; x) is Abramowitz and Stegun 26.2.17 (absolute error &lt; 7.5e-8, far below
/// the float32 rounding of SAELens's own thresholds at p_min = 5e-4).
/// </summary>
internal static class StandardNormal
{
    private const double InverseSqrtTwoPi = 0.39894228040143267794;

    // A&S 26.2.17: Q(x) = phi(x) t (b1 + t (b2 + t (b3 + t (b4 + t b5)))), t = 1 / (1 + p x), x >= 0.
    private const double TailP = 0.2316419;
    private const double B1 = 0.319381530, B2 = -0.356563782, B3 = 1.781477937, B4 = -1.821255978, B5 = 1.330274429;

    /// <summary>x with P(Z &lt;= x) = <paramref name="probability"/> (AS241 PPND16); +-infinity at 1 and 0.</summary>
    public static double InverseCdf(double probability)
    {
        if (double.IsNaN(probability) || probability < 0 || probability > 1) throw new ArgumentOutOfRangeException(nameof(probability), probability, "A probability must be in [0, 1].");
        if (probability == 0) return double.NegativeInfinity;
        if (probability == 1) return double.PositiveInfinity;
        double q = probability - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            double r = 0.180625 - q * q;
            return q * (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r + 6.7265770927008700853e+4) * r
                + 4.5921953931549871457e+4) * r + 1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r
                + 1.3314166789178437745e+2) * r + 3.3871328727963666080e+0)
                / (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r + 3.9307895800092710610e+4) * r
                + 2.1213794301586595867e+4) * r + 5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r
                + 4.2313330701600911252e+1) * r + 1.0);
        }
        double tail = Math.Sqrt(-Math.Log(q < 0 ? probability : 1 - probability));
        double value;
        if (tail <= 5.0)
        {
            double r = tail - 1.6;
            value = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r + 2.41780725177450611770e-1) * r
                + 1.27045825245236838258e+0) * r + 3.64784832476320460504e+0) * r + 5.76949722146069140550e+0) * r
                + 4.63033784615654529590e+0) * r + 1.42343711074968357734e+0)
                / (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r + 1.51986665636164571966e-2) * r
                + 1.48103976427480074590e-1) * r + 6.89767334985100004550e-1) * r + 1.67638483018380384940e+0) * r
                + 2.05319162663775882187e+0) * r + 1.0);
        }
        else
        {
            double r = tail - 5.0;
            value = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.24266094738807843860e-3) * r
                + 2.65321895265761230930e-2) * r + 2.96560571828504891230e-1) * r + 1.78482653991729133580e+0) * r
                + 5.46378491116411436990e+0) * r + 6.65790464350110377720e+0)
                / (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r + 1.84631831751005468180e-5) * r
                + 7.86869131145613259100e-4) * r + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r
                + 5.99832206555887937690e-1) * r + 1.0);
        }
        return q < 0 ? -value : value;
    }

    /// <summary>Q(x) = P(Z &gt; x), A&amp;S 26.2.17 in double: the scalar specification of <see cref="UpperTail(Vector{float})"/>.</summary>
    public static double UpperTail(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + TailP * z);
        double tail = InverseSqrtTwoPi * Math.Exp(-0.5 * z * z) * t * (B1 + t * (B2 + t * (B3 + t * (B4 + t * B5))));
        return x >= 0 ? tail : 1 - tail;
    }

    /// <summary>Q(x) lane by lane in float, the same formula as <see cref="UpperTail(double)"/>.</summary>
    public static Vector<float> UpperTail(Vector<float> x)
    {
        var z = Vector.Abs(x);
        var t = Vector<float>.One / (Vector<float>.One + new Vector<float>((float)TailP) * z);
        var polynomial = new Vector<float>((float)B5);
        polynomial = polynomial * t + new Vector<float>((float)B4);
        polynomial = polynomial * t + new Vector<float>((float)B3);
        polynomial = polynomial * t + new Vector<float>((float)B2);
        polynomial = polynomial * t + new Vector<float>((float)B1);
        var tail = new Vector<float>((float)InverseSqrtTwoPi) * Vector.Exp(new Vector<float>(-0.5f) * z * z) * t * polynomial;
        return Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), tail, Vector<float>.One - tail);
    }
}
