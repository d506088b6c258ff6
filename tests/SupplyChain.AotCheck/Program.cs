// signcli itself: the native executable SupplyChain.AotCheck.Tests runs after the publish.
return await SupplyChain.Cli.Program.Main(args);
