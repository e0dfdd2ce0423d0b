using Mfr.Eeg;

namespace Mfr.Tests.Eeg;

public sealed class EegPreprocessingConfigTests
{
    [Fact]
    public void Defaults_AreThePublishedPipeline()
    {
        var config = new EegPreprocessingConfig();

        config.Validate();
        Assert.Null(config.ChannelLabels);
        Assert.Null(config.TargetSamplingRateHz);
        Assert.Equal(0.5, config.BandPassLowHz);
        Assert.Equal(45.0, config.BandPassHighHz);
        Assert.Equal(5, config.FilterOrder);
        Assert.Equal(1e-8, config.StdFloor);
    }

    public static TheoryData<EegPreprocessingConfig, string> InvalidConfigs() => new()
    {
        { new EegPreprocessingConfig { BandPassLowHz = 0 }, "Band-pass (preprocessing.bandPassLowHz, bandPassHighHz)" },
        { new EegPreprocessingConfig { BandPassLowHz = 50 }, "Band-pass" },
        { new EegPreprocessingConfig { FilterOrder = 0 }, "preprocessing.filterOrder" },
        { new EegPreprocessingConfig { TargetSamplingRateHz = 80 }, "--target-rate (preprocessing.targetSamplingRateHz)" },
        { new EegPreprocessingConfig { TargetSamplingRateHz = 0 }, "--target-rate (preprocessing.targetSamplingRateHz)" },
        { new EegPreprocessingConfig { StdFloor = 0 }, "preprocessing.stdFloor" },
        { new EegPreprocessingConfig { HeldOutFraction = 1 }, "--held-out-fraction (preprocessing.heldOutFraction)" },
        { new EegPreprocessingConfig { ChannelLabels = [] }, "preprocessing.channelLabels" },
        { new EegPreprocessingConfig { ChannelLabels = ["Fp1", "EEG FP1-REF"] }, "FP1" },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void Validate_RefusesAnInvalidSettingNamingIt_AsTheConfigFileSpellsIt(EegPreprocessingConfig config, string expectedName)
    {
        var error = Assert.Throws<ArgumentException>(config.Validate);

        Assert.Contains(expectedName, error.Message);
    }
}
