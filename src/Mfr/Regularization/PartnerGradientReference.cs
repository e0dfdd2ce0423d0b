namespace Mfr.Regularization;

/// <summary>
/// Plain scalar specification of <see cref="PartnerGradient"/>, in double precision, straight from the
/// formula (SPEC 2, assignment held): for each row i with at least one matched partner,
/// <c>g_i = sum_p c_p D_partner(p, i)</c> and <c>dL/dW_i += (g_i - D_i (D_i . g_i)) / ||W_i||</c>;
/// the matched cosines <c>D_i . D_partner(p, i)</c> go to the pairs that ask for them. Single-threaded;
/// allocates one row of d doubles per call.
/// </summary>
internal static unsafe class PartnerGradientReference
{
    /// <summary>See <see cref="PartnerGradient.Add"/>.</summary>
    public static void Add(float* decoder, float* rowNorms, int latentCount, int dimension, PartnerGradient.Partner* partners, int partnerCount, float* weightGradient)
    {
        var gradient = new double[dimension];
        for (int i = 0; i < latentCount; i++)
        {
            float* direction = decoder + (nint)i * dimension;
            bool any = false;
            Array.Clear(gradient);
            for (int p = 0; p < partnerCount; p++)
            {
                var partner = partners[p];
                int j = partner.PartnerForRow[i];
                float* partnerRow = partner.Decoder + (nint)j * dimension;
                if (partner.Dots != null)
                {
                    double dot = 0;
                    for (int t = 0; j >= 0 && t < dimension; t++) dot += (double)direction[t] * partnerRow[t];
                    partner.Dots[i] = (float)dot;
                }
                if (j < 0) continue;
                any = true;
                for (int t = 0; t < dimension; t++) gradient[t] += (double)partner.Coefficient * partnerRow[t];
            }
            if (!any || rowNorms[i] == 0) continue;
            double along = 0;
            for (int t = 0; t < dimension; t++) along += direction[t] * gradient[t];
            float* target = weightGradient + (nint)i * dimension;
            for (int t = 0; t < dimension; t++) target[t] = (float)(target[t] + (gradient[t] - direction[t] * along) / rowNorms[i]);
        }
    }
}
