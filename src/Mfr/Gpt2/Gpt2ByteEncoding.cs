namespace Mfr.Gpt2;

/// <summary>
/// GPT-2's reversible byte-to-character map (<c>bytes_to_unicode</c> in OpenAI's gpt-2
/// <c>src/encoder.py</c>). Token strings in <c>encoder.json</c> and <c>vocab.bpe</c> are written in
/// these characters so that every byte is a visible character: the printable bytes <c>!</c>..<c>~</c>,
/// <c>¡</c>..<c>¬</c> and <c>®</c>..<c>ÿ</c> map to themselves, the other 68 bytes map, in increasing
/// byte order, to U+0100, U+0101, ... (space becomes <c>Ġ</c> U+0120, newline <c>Ċ</c> U+010A).
/// </summary>
internal static class Gpt2ByteEncoding
{
    /// <summary>Character that stands for each byte value.</summary>
    public static readonly char[] ByteToChar = BuildByteToChar();

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var isPrintable = new bool[256];
        for (int b = '!'; b <= '~'; b++) isPrintable[b] = true;
        for (int b = 0xA1; b <= 0xAC; b++) isPrintable[b] = true;
        for (int b = 0xAE; b <= 0xFF; b++) isPrintable[b] = true;
        int next = 0;
        for (int b = 0; b < 256; b++) map[b] = isPrintable[b] ? (char)b : (char)(256 + next++);
        return map;
    }

    /// <summary>
    /// The bytes a token string stands for, or null when it contains a character outside the map.
    /// </summary>
    public static byte[]? TryDecodeTokenString(string tokenString)
    {
        var bytes = new byte[tokenString.Length];
        for (int i = 0; i < tokenString.Length; i++)
        {
            int byteValue = CharToByte(tokenString[i]);
            if (byteValue < 0) return null;
            bytes[i] = (byte)byteValue;
        }
        return bytes;
    }

    private static int CharToByte(char c) => c < CharToByteTable.Length ? CharToByteTable[c] : -1;

    // Inverse of ByteToChar; every mapped character is below U+0100 + 68.
    private static readonly short[] CharToByteTable = BuildCharToByte();

    private static short[] BuildCharToByte()
    {
        var table = new short[256 + 68];
        table.AsSpan().Fill(-1);
        for (int b = 0; b < 256; b++) table[ByteToChar[b]] = (short)b;
        return table;
    }
}
