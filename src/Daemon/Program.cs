using BgpStack.Daemon;
using BgpStack.Daemon.Hosting;

return await DaemonApp.RunAsync(args, new DaemonRuntime(Console.Out, Console.Error, BgpSpeakerAdapter.Create), CancellationToken.None);
