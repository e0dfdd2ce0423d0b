using Mfr.Cli;

return DistributedEntry.Run(args, Console.Out, Console.Error);
