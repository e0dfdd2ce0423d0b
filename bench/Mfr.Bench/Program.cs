using BenchmarkDotNet.Running;
using Mfr.Bench.Numerics;
using Mfr.Numerics;

// Stopwatch harnesses outside BenchmarkDotNet: `timings` (the kernel table `mfr bench` prints),
// `int8-timings [B d h k]` (the int8-select encoder against the fp32 encoder at the synthetic and EEG shapes),
// `sweep [kernel]` (every kernel over the SAE, GPT-2, EEG and cosine shapes), `gpt2-timings DIR [T]`
// (a GPT-2 forward pass; minutes per measurement), `assignment-timings` (cold and warm-started
// assignments at h = 512 and 3072), `refresh-timings [REPEATS] [no-dense]` (one MFR assignment refresh at the GPT-2 shape, split
// into products and solver), `recovery-timings [STEPS]` (the periodic ground-truth evaluation next
// to training steps at the synthetic shape), `step-timings [B d h k]` (every kernel of a synthetic training step, 1 and all
// threads), `topk-timings [variant]` (single-thread TopK ns per row over
// the product's shapes), `eeg-timings [FOLDER]` (EEG preparation of a folder of EDF files, stage by
// stage), `synthsaebench-timings [PRESET] [B]` (the SynthSAEBench generator alone, with a
// checksum of its stream), `fma-probe [ROUNDS]` (the per-step FMA probe of `mfr bench` against the peak benchmark), `kernels` (every kernel family of the registry: the variant MFR_KERNELS selects, the registered ones,
// why a faster one does not run). Anything else goes to BenchmarkDotNet; the BenchmarkDotNet kernel classes
// take each supported fast variant of their family as a parameter.
foreach (string line in KernelRegistry.Describe()) Console.Error.WriteLine(line);
if (args is ["kernels", ..]) return;
if (args is ["timings", ..])
{
    KernelTimings.Run(Console.Out);
    return;
}
if (args is ["sweep", ..])
{
    KernelSweep.Run(Console.Out, args.Length > 1 ? args[1] : "all");
    return;
}
if (args is ["gpt2-timings", ..])
{
    Mfr.Gpt2.Gpt2Timings.Run(Console.Out, args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "mfr-gpt2-small-random"),
        sequenceLength: args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1024);
    return;
}
if (args is ["int8-timings", ..])
{
    Int8SelectTimings.Run(Console.Out, args[1..]);
    return;
}
if (args is ["synthsaebench-timings", ..])
{
    Mfr.Bench.Synthetic.SynthSaeBenchTimings.Run(Console.Out, args[1..]);
    return;
}
if (args is ["step-timings", ..])
{
    StepPhaseTimings.Run(Console.Out, args[1..]);
    return;
}
if (args is ["fma-probe", ..])
{
    FmaProbeTimings.Run(Console.Out, args[1..]);
    return;
}
if (args is ["topk-timings", ..])
{
    TopKTimings.Run(Console.Out, args.Length > 1 ? KernelRegistry.TopK.Get(args[1]) : KernelRegistry.TopK.Selected);
    return;
}
if (args is ["eeg-timings", ..])
{
    // The preparation target of the EEG issue: every eegmat file prepared in under 30 s on 2 cores.
    Mfr.Eeg.EegTimings.Run(Console.Out, args.Length > 1 ? args[1] : Path.Combine("..", "shared", "data", "eeg", "eegmat"));
    return;
}
if (args is ["assignment-timings", ..])
{
    Mfr.Matching.AssignmentTimings.Run(Console.Out);
    return;
}
if (args is ["refresh-timings", ..])
{
    Mfr.Bench.Matching.RefreshTimings.Run(Console.Out, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3, withDense: !args.Contains("no-dense"));
    return;
}
if (args is ["recovery-timings", ..])
{
    Mfr.Bench.Evaluation.RecoveryTimings.Run(Console.Out, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
