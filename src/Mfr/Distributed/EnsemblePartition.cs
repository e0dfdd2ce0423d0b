namespace Mfr.Distributed;

/// <summary>
/// Which rank trains which SAE of an ensemble (issue 17): contiguous blocks in member order, as even as the
/// counts allow (member m belongs to rank floor(m R / M)), so rank 0 holds the first block and a rank may hold
/// none when there are more ranks than SAEs. Each rank keeps a copy of every SAE; it trains its own and receives
/// the others' decoders every step.
/// </summary>
/// <param name="MemberCount">SAEs in the ensemble (M).</param>
/// <param name="RankCount">Processes in the job (R).</param>
/// <param name="Rank">This process's rank.</param>
public sealed record EnsemblePartition(int MemberCount, int RankCount, int Rank)
{
    /// <summary>The rank that trains member <paramref name="member"/>.</summary>
    public int OwnerOf(int member) => (int)((long)member * RankCount / MemberCount);

    /// <summary>Whether this rank trains member <paramref name="member"/>.</summary>
    public bool Owns(int member) => OwnerOf(member) == Rank;

    /// <summary>Members [First, Last) trained by rank <paramref name="rank"/> (ceil(r M / R) to ceil((r + 1) M / R)).</summary>
    public (int First, int Last) MembersOf(int rank) => (CeilingShare(rank), CeilingShare(rank + 1));

    private int CeilingShare(int rank) => (int)(((long)rank * MemberCount + RankCount - 1) / RankCount);

    /// <summary>Throws <see cref="ArgumentException"/> on an impossible partition.</summary>
    public void Validate()
    {
        if (MemberCount < 1) throw new ArgumentException($"An ensemble needs at least one SAE, got {MemberCount}.");
        if (RankCount < 1 || Rank < 0 || Rank >= RankCount) throw new ArgumentException($"Rank {Rank} of {RankCount} is not a rank of the job.");
    }
}
