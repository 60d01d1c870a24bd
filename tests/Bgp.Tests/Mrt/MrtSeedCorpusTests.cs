using BgpStack.Bgp.Wire.Mrt;

namespace BgpStack.Bgp.Tests.Mrt;

public class MrtSeedCorpusTests
{
    /// <summary>
    /// The committed seeds are exactly what the test writer builds, and each decodes cleanly. Set
    /// BGPSTACK_WRITE_MRT_SEEDS=1 to (re)write them after changing <see cref="MrtSeeds"/>.
    /// </summary>
    [Fact]
    public void Committed_seeds_match_the_writer_and_decode_cleanly()
    {
        var directory = MrtSeeds.CorpusDirectory();
        if (Environment.GetEnvironmentVariable("BGPSTACK_WRITE_MRT_SEEDS") == "1")
        {
            Directory.CreateDirectory(directory);
            foreach (var (name, record, _) in MrtSeeds.All)
            {
                System.IO.File.WriteAllBytes(Path.Combine(directory, name), record);
            }
        }

        foreach (var (name, record, expected) in MrtSeeds.All)
        {
            var path = Path.Combine(directory, name);
            Assert.True(System.IO.File.Exists(path), $"missing seed {path}");
            var committed = System.IO.File.ReadAllBytes(path);
            Assert.Equal(record, committed);

            var decoded = MrtRecord.Decode(committed);
            Assert.IsType(expected, decoded);
            switch (decoded)
            {
                case Bgp4mpMessageRecord message:
                    Assert.True(message.MessageError is null, $"{name}: {message.MessageError}");
                    Assert.NotNull(message.Message);
                    break;
                case RibRecord rib:
                    Assert.NotEmpty(rib.Entries);
                    Assert.All(rib.Entries, e =>
                    {
                        Assert.Null(e.Error);
                        Assert.Empty(e.AttributeErrors);
                        Assert.NotNull(e.NextHop);
                    });
                    break;
            }
        }
    }
}
