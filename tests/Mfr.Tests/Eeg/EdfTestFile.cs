using System.Globalization;
using System.Text;

namespace Mfr.Tests.Eeg;

/// <summary>One signal of a test EDF/BDF file: its header fields and its digital samples (all records).</summary>
internal sealed record EdfTestSignal(
    string Label,
    int SamplesPerRecord,
    int[] Digital,
    double PhysicalMinimum = -200,
    double PhysicalMaximum = 200,
    long DigitalMinimum = -32768,
    long DigitalMaximum = 32767,
    string Dimension = "uV",
    bool IsAnnotation = false)
{
    /// <summary>An EDF+ annotation signal holding one time-keeping TAL per record ("+r\x14\x14\0").</summary>
    public static EdfTestSignal Annotations(int samplesPerRecord, string label = "EDF Annotations") =>
        new(label, samplesPerRecord, [], -1, 1, -32768, 32767, "", IsAnnotation: true);
}

/// <summary>
/// Writes EDF, EDF+ and BDF bytes for tests, following the EDF spec layout (256-byte fixed header, then
/// 256 bytes per signal stored field by field, then records of all signals' samples, little-endian).
/// <see cref="Fields"/> holds every header field as text so a test can corrupt any one of them.
/// </summary>
internal sealed class EdfTestFile
{
    private readonly IReadOnlyList<EdfTestSignal> signals;

    public EdfTestFile(IReadOnlyList<EdfTestSignal> signals, int recordCount, double recordDurationSeconds = 1, string reserved = "", bool bdf = false)
    {
        this.signals = signals;
        Bdf = bdf;
        RecordCount = recordCount;
        Fields["version"] = bdf ? "BIOSEMI" : "0";
        Fields["patient"] = "X M 01-JAN-1990 Test";
        Fields["recording"] = "Startdate 01-JAN-2020 X X X";
        Fields["startDate"] = "01.01.20";
        Fields["startTime"] = "10.20.30";
        Fields["headerBytes"] = (256 * (signals.Count + 1)).ToString(CultureInfo.InvariantCulture);
        Fields["reserved"] = reserved;
        Fields["records"] = recordCount.ToString(CultureInfo.InvariantCulture);
        Fields["duration"] = recordDurationSeconds.ToString(CultureInfo.InvariantCulture);
        Fields["signals"] = signals.Count.ToString(CultureInfo.InvariantCulture);
        for (int s = 0; s < signals.Count; s++)
        {
            var signal = signals[s];
            SignalFields[s] = new Dictionary<string, string>
            {
                ["label"] = signal.Label,
                ["transducer"] = signal.IsAnnotation ? "" : "AgAgCl electrode",
                ["dimension"] = signal.Dimension,
                ["physicalMin"] = signal.PhysicalMinimum.ToString(CultureInfo.InvariantCulture),
                ["physicalMax"] = signal.PhysicalMaximum.ToString(CultureInfo.InvariantCulture),
                ["digitalMin"] = signal.DigitalMinimum.ToString(CultureInfo.InvariantCulture),
                ["digitalMax"] = signal.DigitalMaximum.ToString(CultureInfo.InvariantCulture),
                ["prefilter"] = "HP:0.5Hz",
                ["samples"] = signal.SamplesPerRecord.ToString(CultureInfo.InvariantCulture),
                ["reserved"] = "",
            };
        }
    }

    public bool Bdf { get; }

    public int RecordCount { get; }

    /// <summary>Fixed header fields by name: version, patient, recording, startDate, startTime, headerBytes, reserved, records, duration, signals.</summary>
    public Dictionary<string, string> Fields { get; } = [];

    /// <summary>Per-signal header fields by signal index, then name (label, transducer, ..., samples, reserved).</summary>
    public Dictionary<int, Dictionary<string, string>> SignalFields { get; } = [];

    public byte[] Build()
    {
        var bytes = new List<byte>();
        if (Bdf)
        {
            bytes.Add(0xFF);
            Append(bytes, Fields["version"], 7);
        }
        else
        {
            Append(bytes, Fields["version"], 8);
        }
        Append(bytes, Fields["patient"], 80);
        Append(bytes, Fields["recording"], 80);
        Append(bytes, Fields["startDate"], 8);
        Append(bytes, Fields["startTime"], 8);
        Append(bytes, Fields["headerBytes"], 8);
        Append(bytes, Fields["reserved"], 44);
        Append(bytes, Fields["records"], 8);
        Append(bytes, Fields["duration"], 8);
        Append(bytes, Fields["signals"], 4);
        (string Name, int Width)[] layout =
        [
            ("label", 16), ("transducer", 80), ("dimension", 8), ("physicalMin", 8), ("physicalMax", 8),
            ("digitalMin", 8), ("digitalMax", 8), ("prefilter", 80), ("samples", 8), ("reserved", 32),
        ];
        foreach (var (name, width) in layout)
            for (int s = 0; s < signals.Count; s++) Append(bytes, SignalFields[s][name], width);

        int bytesPerSample = Bdf ? 3 : 2;
        for (int r = 0; r < RecordCount; r++)
        {
            foreach (var signal in signals)
            {
                if (signal.IsAnnotation)
                {
                    var tal = new byte[signal.SamplesPerRecord * bytesPerSample];
                    Encoding.ASCII.GetBytes($"+{r}\u0014\u0014\0").CopyTo(tal, 0);
                    bytes.AddRange(tal);
                    continue;
                }
                for (int i = 0; i < signal.SamplesPerRecord; i++)
                {
                    int value = signal.Digital[r * signal.SamplesPerRecord + i];
                    bytes.Add((byte)value);
                    bytes.Add((byte)(value >> 8));
                    if (Bdf) bytes.Add((byte)(value >> 16));
                }
            }
        }
        return bytes.ToArray();
    }

    private static void Append(List<byte> bytes, string text, int width)
    {
        if (text.Length > width) throw new ArgumentException($"'{text}' is wider than {width}.");
        bytes.AddRange(Encoding.ASCII.GetBytes(text.PadRight(width)));
    }
}
