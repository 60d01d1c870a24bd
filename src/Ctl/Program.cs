using System.Text;
using BgpStack.Ctl;

// Buffered: a full-table MRT dump writes millions of lines, and the console writer flushes each one.
using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
return CtlApp.Run(args, Console.In, stdout, Console.Error);
