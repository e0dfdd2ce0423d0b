using Mfr.Numerics;

namespace Mfr.Tests.Eeg;

/// <summary>Builds small EEG-like EDF+ files: named channels of seeded noise plus a 10 Hz rhythm, 1-s records.</summary>
internal static class SyntheticEeg
{
    /// <summary>The 19 10-20 labels as eegmat writes them (file order of eegmat).</summary>
    public static readonly string[] EegmatLabels =
    [
        "EEG Fp1", "EEG Fp2", "EEG F3", "EEG F4", "EEG F7", "EEG F8", "EEG T3", "EEG T4", "EEG C3", "EEG C4",
        "EEG T5", "EEG T6", "EEG P3", "EEG P4", "EEG O1", "EEG O2", "EEG Fz", "EEG Cz", "EEG Pz",
    ];

    /// <summary>One channel's digital samples: a deterministic function of (label, seed), so a channel has the same data in every file.</summary>
    public static int[] Channel(string label, int sampleCount, int samplingRateHz, ulong seed)
    {
        // FNV-1a of the label: string.GetHashCode is randomised per process, this is not.
        ulong stream = 14695981039346656037UL;
        foreach (char ch in label.ToUpperInvariant()) stream = (stream ^ ch) * 1099511628211UL;
        var rng = Rng.ForStream(seed, stream);
        var values = new int[sampleCount];
        double phase = rng.NextDouble() * 2 * Math.PI;
        for (int i = 0; i < sampleCount; i++)
        {
            double microvolts = 20 * Math.Sin(2 * Math.PI * 10 * i / samplingRateHz + phase) + 8 * rng.NextGaussian() + 15;
            values[i] = (int)Math.Round(microvolts * 10);
        }
        return values;
    }

    /// <summary>
    /// An EDF+C file with <paramref name="labels"/> (each at <paramref name="samplingRateHz"/> unless
    /// <paramref name="rateOverrides"/> says otherwise), plus A2-A1, ECG and an annotation signal.
    /// </summary>
    public static EdfTestFile File(IEnumerable<string> labels, int samplingRateHz, int seconds, ulong seed = 1,
        IReadOnlyDictionary<string, int>? rateOverrides = null, bool withExtras = true)
    {
        var signals = new List<EdfTestSignal>();
        foreach (string label in labels)
        {
            int rate = rateOverrides is not null && rateOverrides.TryGetValue(label, out int overridden) ? overridden : samplingRateHz;
            // Physical range -3276.8..3276.7 uV for -32768..32767: 0.1 uV per step, offset term 0.05 uV.
            signals.Add(new EdfTestSignal(label, rate, Channel(label, rate * seconds, rate, seed), -3276.8, 3276.7));
        }
        if (withExtras)
        {
            signals.Add(new EdfTestSignal("EEG A2-A1", samplingRateHz, Channel("A2-A1", samplingRateHz * seconds, samplingRateHz, seed), -3276.8, 3276.7));
            signals.Add(new EdfTestSignal("ECG ECG", samplingRateHz, Channel("ECG", samplingRateHz * seconds, samplingRateHz, seed), -3.2768, 3.2767, Dimension: "mV"));
            signals.Add(EdfTestSignal.Annotations(30));
        }
        return new EdfTestFile(signals, seconds, reserved: "EDF+C");
    }
}
