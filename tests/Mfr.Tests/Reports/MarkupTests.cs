using Mfr.Reports;

namespace Mfr.Tests.Reports;

public sealed class MarkupTests
{
    [Fact]
    public void Escape_FiveSpecialCharacters()
    {
        Assert.Equal("&lt;a&gt; &amp; &quot;b&quot; &#39;c&#39;", Markup.Escape("<a> & \"b\" 'c'"));
    }

    [Fact]
    public void Escape_PlainText_IsReturnedUnchanged()
    {
        const string text = "MSE (k = 6) −21.21% τ θ ‖W‖₂";

        Assert.Same(text, Markup.Escape(text));
    }

    [Fact]
    public void Escape_CharactersXmlForbids_AreDroppedOrReplaced()
    {
        // C0 controls (except tab, newline, return) are dropped; lone surrogates and U+FFFE become U+FFFD; pairs survive.
        Assert.Equal("ab\tc\n", Markup.Escape("a\u0001b\tc\n\u001F"));
        Assert.Equal("x\uFFFDy\uFFFD", Markup.Escape("x\uD800y\uFFFE"));
        Assert.Equal("😀", Markup.Escape("😀"));
    }
}
