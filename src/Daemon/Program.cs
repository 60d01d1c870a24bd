using BgpStack.Daemon;

return DaemonApp.Run(args, Console.Out, Console.Error);
