using System.Globalization;
using System.Text;

namespace Mfr.Eeg;

/// <summary>
/// Parses and checks the EDF/BDF header (EDF spec, Kemp et al. 1992; EDF+ spec, Kemp &amp; Olivan 2003;
/// BioSemi BDF). Fixed part, 256 bytes: version 8, patient 80, recording 80, start date 8, start time 8,
/// header bytes 8, reserved 44, records 8, record duration 8, signal count 4. Then 256 bytes per signal,
/// stored field by field across all signals. Every problem a file can have is reported as an
/// <see cref="InvalidDataException"/> naming the file and the field.
/// </summary>
internal static class EdfHeaderParser
{
    /// <summary>Bytes of the fixed part of the header.</summary>
    public const int FixedHeaderBytes = 256;

    /// <summary>Header bytes per signal.</summary>
    public const int SignalHeaderBytes = 256;

    // Per-signal field widths, in the order the fields are stored (each for all signals).
    private static readonly int[] SignalFieldWidths = [16, 80, 8, 8, 8, 8, 8, 80, 8, 32];

    /// <summary>Reads the signal count from the fixed part (bytes 252-255).</summary>
    public static int ReadSignalCount(ReadOnlySpan<byte> fixedHeader, string fileName)
    {
        CheckVersion(fixedHeader, fileName);
        int signalCount = ParseInt(fixedHeader.Slice(252, 4), fileName, "number of signals");
        if (signalCount <= 0)
            throw new InvalidDataException($"{fileName}: the header declares {signalCount} signals; an EDF/BDF file needs at least one.");
        return signalCount;
    }

    /// <summary>Parses the whole header (<c>256 x (signalCount + 1)</c> bytes) and checks it against the file length.</summary>
    public static EdfHeader Parse(ReadOnlySpan<byte> header, string fileName, long fileLength)
    {
        bool isBdf = CheckVersion(header, fileName);
        string version = isBdf ? Text(header.Slice(1, 7)) : Text(header[..8]);
        string patientId = Text(header.Slice(8, 80));
        string recordingId = Text(header.Slice(88, 80));
        string startDate = Text(header.Slice(168, 8));
        string startTime = Text(header.Slice(176, 8));
        int headerBytes = ParseInt(header.Slice(184, 8), fileName, "number of bytes in header record");
        string reserved = Text(header.Slice(192, 44));
        int recordCountField = ParseInt(header.Slice(236, 8), fileName, "number of data records");
        double recordDuration = ParseDouble(header.Slice(244, 8), fileName, "duration of a data record");
        int signalCount = ReadSignalCount(header, fileName);

        int expectedHeaderBytes = FixedHeaderBytes * (signalCount + 1);
        if (headerBytes != expectedHeaderBytes)
            throw new InvalidDataException($"{fileName}: the header says it is {headerBytes} bytes, but {signalCount} signals need 256 x {signalCount + 1} = {expectedHeaderBytes} bytes.");
        if (!(recordDuration > 0) || double.IsInfinity(recordDuration))
            throw new InvalidDataException($"{fileName}: the data record duration is {recordDuration.ToString(CultureInfo.InvariantCulture)} s; it must be positive (annotation-only files carry no signal).");

        EdfFormat format = ParseFormat(reserved, isBdf, fileName);
        var signals = ParseSignals(header.Slice(FixedHeaderBytes, signalCount * SignalHeaderBytes), signalCount, recordDuration, fileName);

        long recordBytes = signals.Sum(signal => (long)signal.SamplesPerRecord) * (isBdf ? 3 : 2);
        if (recordBytes > int.MaxValue / 2)
            throw new InvalidDataException($"{fileName}: one data record would be {recordBytes} bytes; the samples-per-record fields are implausible.");
        (int recordCount, bool fromSize) = ResolveRecordCount(recordCountField, headerBytes, recordBytes, fileLength, fileName);
        return new EdfHeader(format, version, patientId, recordingId, startDate, startTime, ParseStart(startDate, startTime),
            headerBytes, reserved, recordCount, fromSize, recordDuration, signals);
    }

    /// <summary>True for BDF (first byte 0xFF), false for EDF (version "0"); throws for anything else.</summary>
    private static bool CheckVersion(ReadOnlySpan<byte> header, string fileName)
    {
        if (header[0] == 0xFF)
        {
            if (Text(header.Slice(1, 7)) != "BIOSEMI")
                throw new InvalidDataException($"{fileName}: starts with byte 0xFF but not \"BIOSEMI\"; not a BDF file.");
            return true;
        }
        string version = Text(header[..8]);
        if (version != "0")
            throw new InvalidDataException($"{fileName}: the version field is \"{version}\", not \"0\" (EDF) or 0xFF \"BIOSEMI\" (BDF); not an EDF/BDF file.");
        return false;
    }

    private static EdfFormat ParseFormat(string reserved, bool isBdf, string fileName)
    {
        string family = isBdf ? "BDF" : "EDF";
        if (reserved.StartsWith("EDF+D", StringComparison.Ordinal) || reserved.StartsWith("BDF+D", StringComparison.Ordinal))
            throw new InvalidDataException($"{fileName}: is {reserved[..5]} (discontinuous: data records with gaps in time); only continuous EDF, EDF+C, BDF and BDF+C files are supported.");
        if (reserved.StartsWith(family + "+C", StringComparison.Ordinal))
            return isBdf ? EdfFormat.BdfPlusContinuous : EdfFormat.EdfPlusContinuous;
        return isBdf ? EdfFormat.Bdf : EdfFormat.Edf;
    }

    private static EdfSignalHeader[] ParseSignals(ReadOnlySpan<byte> block, int signalCount, double recordDuration, string fileName)
    {
        // Field f of signal s starts at (sum of widths before f) * signalCount + s * width(f).
        var fieldStarts = new int[SignalFieldWidths.Length];
        for (int field = 1; field < SignalFieldWidths.Length; field++)
            fieldStarts[field] = fieldStarts[field - 1] + SignalFieldWidths[field - 1] * signalCount;
        static string FieldTextIn(ReadOnlySpan<byte> block, int[] fieldStarts, int field, int signal) =>
            Text(block.Slice(fieldStarts[field] + signal * SignalFieldWidths[field], SignalFieldWidths[field]));

        var signals = new EdfSignalHeader[signalCount];
        for (int s = 0; s < signalCount; s++)
        {
            string label = FieldTextIn(block, fieldStarts, 0, s);
            string where = $"signal {s + 1} (\"{label}\")";
            bool isAnnotation = label is "EDF Annotations" or "BDF Annotations";
            double physicalMin = ParseDouble(FieldTextIn(block, fieldStarts, 3, s), fileName, $"physical minimum of {where}");
            double physicalMax = ParseDouble(FieldTextIn(block, fieldStarts, 4, s), fileName, $"physical maximum of {where}");
            long digitalMin = ParseLong(FieldTextIn(block, fieldStarts, 5, s), fileName, $"digital minimum of {where}");
            long digitalMax = ParseLong(FieldTextIn(block, fieldStarts, 6, s), fileName, $"digital maximum of {where}");
            int samplesPerRecord = ParseInt(FieldTextIn(block, fieldStarts, 8, s), fileName, $"number of samples in each data record of {where}");
            if (samplesPerRecord <= 0)
                throw new InvalidDataException($"{fileName}: {where} has {samplesPerRecord} samples per data record; it must be positive.");
            signals[s] = new EdfSignalHeader(label, FieldTextIn(block, fieldStarts, 1, s), FieldTextIn(block, fieldStarts, 2, s), physicalMin, physicalMax, digitalMin, digitalMax,
                FieldTextIn(block, fieldStarts, 7, s), samplesPerRecord, FieldTextIn(block, fieldStarts, 9, s), isAnnotation ? 0 : samplesPerRecord / recordDuration, isAnnotation);
        }
        return signals;
    }

    /// <summary>
    /// Why a data signal's scaling is unusable (digital max &lt;= min, physical min = max, digital range beyond
    /// the sample width), or null. Checked when the signal is read, not when the header is parsed, so one
    /// broken auxiliary channel does not make the file's other signals unreadable.
    /// </summary>
    public static string? ScalingProblem(EdfSignalHeader signal, int bytesPerSample)
    {
        if (signal.DigitalMaximum <= signal.DigitalMinimum)
            return $"has digital maximum {signal.DigitalMaximum} <= digital minimum {signal.DigitalMinimum}";
        if (signal.PhysicalMaximum == signal.PhysicalMinimum)
            return $"has physical minimum = physical maximum = {signal.PhysicalMinimum.ToString(CultureInfo.InvariantCulture)}, so the scaling is undefined";
        long limit = bytesPerSample == 3 ? 1L << 23 : 1L << 15;
        if (signal.DigitalMinimum < -limit || signal.DigitalMaximum > limit - 1)
            return $"has digital range {signal.DigitalMinimum}..{signal.DigitalMaximum}, outside the {8 * bytesPerSample}-bit sample range";
        return null;
    }

    private static (int Count, bool FromFileSize) ResolveRecordCount(int recordCountField, int headerBytes, long recordBytes, long fileLength, string fileName)
    {
        long dataBytes = fileLength - headerBytes;
        if (recordCountField == -1)
        {
            // EDF allows -1 while recording; a finished file of whole records tells its own count.
            if (dataBytes < 0 || dataBytes % recordBytes != 0)
                throw new InvalidDataException($"{fileName}: the number of data records is -1 (unknown) and the {Math.Max(dataBytes, 0)} data bytes are not a whole number of {recordBytes}-byte records.");
            long computed = dataBytes / recordBytes;
            if (computed > int.MaxValue)
                throw new InvalidDataException($"{fileName}: {computed} data records is more than supported.");
            return ((int)computed, true);
        }
        if (recordCountField < 0)
            throw new InvalidDataException($"{fileName}: the number of data records is {recordCountField}; it must be -1 (unknown) or non-negative.");

        long expectedLength = headerBytes + recordCountField * recordBytes;
        if (fileLength != expectedLength)
        {
            long difference = fileLength - expectedLength;
            string problem = difference < 0
                ? $"{-difference} bytes are missing (truncated file?)"
                : $"there are {difference} extra bytes (a copy corrupted by line-ending conversion, CRLF?)";
            throw new InvalidDataException($"{fileName}: the file is {fileLength} bytes but the header ({headerBytes} bytes) and {recordCountField} data records of {recordBytes} bytes need {expectedLength} bytes: {problem}.");
        }
        return (recordCountField, false);
    }

    private static DateTime? ParseStart(string date, string time)
    {
        if (!DateTime.TryParseExact(date, "dd.MM.yy", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) return null;
        var dateParts = date.Split('.');
        var timeParts = time.Split('.');
        if (timeParts.Length != 3) return null;
        int day = int.Parse(dateParts[0], CultureInfo.InvariantCulture);
        int month = int.Parse(dateParts[1], CultureInfo.InvariantCulture);
        int twoDigitYear = int.Parse(dateParts[2], CultureInfo.InvariantCulture);
        // EDF spec: 1985 is the clipping date; yy 85-99 -> 19yy, 00-84 -> 20yy.
        int year = twoDigitYear >= 85 ? 1900 + twoDigitYear : 2000 + twoDigitYear;
        if (!int.TryParse(timeParts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int hour) || hour > 23
            || !int.TryParse(timeParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minute) || minute > 59
            || !int.TryParse(timeParts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int second) || second > 59)
            return null;
        return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
    }

    /// <summary>Header text as Latin-1 (EDF asks for ASCII; some writers put other bytes in free-text fields), trimmed.</summary>
    private static string Text(ReadOnlySpan<byte> field) => Encoding.Latin1.GetString(field).Trim(' ', '\0');

    private static int ParseInt(ReadOnlySpan<byte> field, string fileName, string what) => ParseInt(Text(field), fileName, what);

    private static int ParseInt(string text, string fileName, string what)
    {
        long value = ParseLong(text, fileName, what);
        if (value is < int.MinValue or > int.MaxValue)
            throw new InvalidDataException($"{fileName}: header field '{what}' is \"{text}\", out of range.");
        return (int)value;
    }

    private static long ParseLong(string text, string fileName, string what)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)) return value;
        // Some writers put "256.0" or "+1" style numbers in integer fields; accept exact integers.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && real == Math.Floor(real) && Math.Abs(real) < 1e15)
            return (long)real;
        throw new InvalidDataException($"{fileName}: header field '{what}' is \"{text}\", not an integer.");
    }

    private static double ParseDouble(ReadOnlySpan<byte> field, string fileName, string what) => ParseDouble(Text(field), fileName, what);

    private static double ParseDouble(string text, string fileName, string what)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)) return value;
        throw new InvalidDataException($"{fileName}: header field '{what}' is \"{text}\", not a number.");
    }
}
