using Xunit.Abstractions;
using Xunit.Sdk;

namespace CleverSyncSOS.Reliability.Tests.Harness;

/// <summary>Prints the whole table when a collection of cases ends (the last one to end prints every row).</summary>
public sealed class ReliabilityTableFixture(IMessageSink sink) : IDisposable
{
    public void Dispose() => sink.OnMessage(new DiagnosticMessage(CaseTable.Render() + $"\n(table written to {CaseTable.FilePath})"));
}

/// <summary>The cases that run in-process against the simulator; they share the machine's two cores with the CLI cases.</summary>
[CollectionDefinition(Name)]
public sealed class InProcessCollection : ICollectionFixture<ReliabilityTableFixture>
{
    public const string Name = "Reliability: in-process cases";
}

/// <summary>Cases that run the real executable (kill -9, two processes, CLI input) and the load and soak runs.</summary>
[CollectionDefinition(Name)]
public sealed class ProcessCollection : ICollectionFixture<ReliabilityTableFixture>
{
    public const string Name = "Reliability: process cases";
}
