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
        { new EegPreprocessingConfig { BandPassLowHz = 0 }, "Band-pass" },
        { new EegPreprocessingConfig { BandPassLowHz = 50 }, "Band-pass" },
        { new EegPreprocessingConfig { FilterOrder = 0 }, "FilterOrder" },
        { new EegPreprocessingConfig { TargetSamplingRateHz = 80 }, "TargetSamplingRateHz" },
        { new EegPreprocessingConfig { TargetSamplingRateHz = 0 }, "TargetSamplingRateHz" },
        { new EegPreprocessingConfig { StdFloor = 0 }, "StdFloor" },
        { new EegPreprocessingConfig { HeldOutFraction = 1 }, "HeldOutFraction" },
        { new EegPreprocessingConfig { ChannelLabels = [] }, "ChannelLabels" },
        { new EegPreprocessingConfig { ChannelLabels = ["Fp1", "EEG FP1-REF"] }, "FP1" },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void Validate_RefusesAnInvalidSettingNamingIt(EegPreprocessingConfig config, string expectedName)
    {
        var error = Assert.Throws<ArgumentException>(config.Validate);

        Assert.Contains(expectedName, error.Message);
    }
}
