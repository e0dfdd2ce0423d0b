using Mfr.Distributed;

namespace Mfr.Tests.Distributed;

public sealed class EnsemblePartitionTests
{
    [Theory]
    [InlineData(2, 2, new[] { 0, 1 })]
    [InlineData(3, 2, new[] { 0, 0, 1 })]
    [InlineData(5, 2, new[] { 0, 0, 0, 1, 1 })]
    [InlineData(5, 3, new[] { 0, 0, 1, 1, 2 })]
    [InlineData(2, 4, new[] { 0, 2 })]
    [InlineData(4, 1, new[] { 0, 0, 0, 0 })]
    public void OwnerOf_GivesContiguousBlocksInMemberOrder(int members, int ranks, int[] expectedOwners)
    {
        // Given an ensemble of `members` SAEs over `ranks` ranks
        var partition = new EnsemblePartition(members, ranks, 0);

        // When each member's owner is asked for
        var owners = Enumerable.Range(0, members).Select(partition.OwnerOf).ToArray();

        // Then the owners are the blocks written out above
        Assert.Equal(expectedOwners, owners);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(5, 3)]
    [InlineData(2, 4)]
    [InlineData(7, 7)]
    public void MembersOf_IsExactlyTheMembersEachRankOwns(int members, int ranks)
    {
        for (int rank = 0; rank < ranks; rank++)
        {
            // Given rank `rank`'s view of the partition
            var partition = new EnsemblePartition(members, ranks, rank);

            // When its block is asked for
            var (first, last) = partition.MembersOf(rank);

            // Then it holds exactly the members that rank owns
            var owned = Enumerable.Range(0, members).Where(partition.Owns).ToArray();
            Assert.Equal(owned, Enumerable.Range(first, last - first).ToArray());
        }
    }

    [Fact]
    public void Validate_RefusesARankOutsideTheJob()
    {
        // Given rank 2 of a job of 2
        var partition = new EnsemblePartition(3, 2, 2);

        // When validated / Then it is refused with the rank named
        var error = Assert.Throws<ArgumentException>(partition.Validate);
        Assert.Contains("Rank 2 of 2", error.Message);
    }
}
