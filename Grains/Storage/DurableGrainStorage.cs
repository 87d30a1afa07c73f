using Orleans.Storage;

namespace OrleansTabs.Grains.Storage;

/// <summary>
/// A grain storage whose writes complete only once the store holds them durably (<see cref="IStoreDurability"/>), so a
/// grain that awaits its <c>WriteStateAsync</c> before it answers acknowledges only what survives a crash. Reads go
/// straight through. Start-up is the inner storage's.
/// </summary>
internal sealed class DurableGrainStorage(IGrainStorage inner, IStoreDurability durability) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.WriteStateAsync(stateName, grainId, grainState);
        await durability.WaitAsync();
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.ClearStateAsync(stateName, grainId, grainState);
        await durability.WaitAsync();
    }

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (inner is ILifecycleParticipant<ISiloLifecycle> participant)
        {
            participant.Participate(lifecycle);
        }
    }
}
