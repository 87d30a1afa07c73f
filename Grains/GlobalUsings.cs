global using System.Collections.Immutable;
global using Orleans.Concurrency;
global using Orleans.Runtime;
global using Orleans.Timers;
