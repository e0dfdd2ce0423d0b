using Mfr.Experiments;
using Mfr.Regularization;

namespace Mfr.Tests.Experiments;

public sealed class ConsistencyExperimentConfigTests
{
    public static TheoryData<string, string> Invalid => new()
    {
        { "benchmark", "--benchmark" },
        { "heldout", "--held-out" },
        { "seeds", "--seeds" },
        { "k", "--k" },
        { "samples", "--samples" },
        { "lr", "--lr" },
        { "nobaseline", "--variants" },
        { "twice", "--variants" },
        { "coupledalone", "--saes" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_ThrowsOneLineNamingTheFlag(string setting, string flag)
    {
        // Given the defaults with one setting broken
        var defaults = ConsistencyExperimentConfig.Default;
        var config = setting switch
        {
            "benchmark" => defaults with { Benchmark = "synthsaebench-1m" },
            "heldout" => defaults with { HeldOutPath = "/tmp/heldout.npy" },
            "seeds" => defaults with { Seeds = 1 },
            "k" => defaults with { K = 2000 },
            "samples" => defaults with { SampleCount = 0 },
            "lr" => defaults with { LearningRate = -1 },
            "nobaseline" => defaults with { Variants = [new(MfrMode.Mfr, 0.1)] },
            "twice" => defaults with { Variants = [ConsistencyVariant.Baseline, new(MfrMode.Mfr, 0.1), new(MfrMode.Mfr, 0.1)] },
            _ => defaults with { SaesPerEnsemble = 1 },
        };

        // When validated
        var error = Assert.Throws<ArgumentException>(config.Validate);

        // Then one line naming the flag
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith(flag, error.Message);
    }

    [Fact]
    public void TheDefaults_AreValid_AndRunTheFiveVariantsOfTheIssue()
    {
        var config = ConsistencyExperimentConfig.Default;

        config.Validate();

        Assert.Equal(["baseline", "mfr beta=auto", "mfr beta=0.1", "mean-max beta=0.1", "auxk"], config.VariantList.Select(v => v.Name));
        Assert.Equal(3, config.Seeds);
        Assert.Equal("synthsaebench-scaled", config.Benchmark);
    }
}
