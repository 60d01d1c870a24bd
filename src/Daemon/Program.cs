using BgpStack.Daemon;
using BgpStack.Daemon.Hosting;

return await DaemonApp.RunAsync(args, new DaemonRuntime(Console.Out, Console.Error, SpeakerFactory.Create), CancellationToken.None);
