global using Orleans.Concurrency;
global using System.Collections.Immutable;
