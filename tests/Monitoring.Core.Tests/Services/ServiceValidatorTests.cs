using Monitoring.Core.Services;

namespace Monitoring.Core.Tests.Services;

public class ServiceValidatorTests
{
    private static ServiceInput Valid() => new() { Name = "api", Type = "http", Target = "https://example.test/health", IntervalSeconds = 30, TimeoutMs = 2000 };

    [Fact]
    public void AValidInputBecomesADefinition()
    {
        var (definition, errors) = ServiceValidator.Validate(Valid());
        Assert.Empty(errors);
        Assert.Equal(ServiceType.Http, definition!.Type);
        Assert.Equal(30_000, definition.IntervalMs);
    }

    [Theory]
    [InlineData("name", "")]
    [InlineData("name", "   ")]
    [InlineData("type", "smtp")]
    [InlineData("type", "1")]
    [InlineData("intervalSeconds", "0")]
    [InlineData("intervalSeconds", "86401")]
    [InlineData("timeoutMs", "30000")]
    [InlineData("timeoutMs", "0")]
    [InlineData("retries", "-1")]
    [InlineData("criticality", "urgent")]
    [InlineData("failureThreshold", "0")]
    [InlineData("target", "not a url")]
    [InlineData("target", "ftp://example.test/")]
    public void BadFieldsAreNamed(string field, string value)
    {
        var input = Valid();
        switch (field)
        {
            case "name": input.Name = value; break;
            case "type": input.Type = value; break;
            case "intervalSeconds": input.IntervalSeconds = int.Parse(value); break;
            case "timeoutMs": input.TimeoutMs = int.Parse(value); break;
            case "retries": input.Retries = int.Parse(value); break;
            case "criticality": input.Criticality = value; break;
            case "failureThreshold": input.FailureThreshold = int.Parse(value); break;
            case "target": input.Target = value; break;
        }
        var (definition, errors) = ServiceValidator.Validate(input);
        Assert.Null(definition);
        Assert.Contains(field, errors.Keys);
    }

    [Theory]
    [InlineData("tcp", "db.internal:5432", true)]
    [InlineData("tcp", "127.0.0.1:0", false)]
    [InlineData("tcp", "127.0.0.1:70000", false)]
    [InlineData("tcp", "no-port", false)]
    [InlineData("tls", "example.test:443", true)]
    [InlineData("tls", "https://example.test", true)]
    [InlineData("dns", "example.test", true)]
    [InlineData("dns", "bad host!", false)]
    [InlineData("host", "memory", true)]
    [InlineData("host", "disk:/", true)]
    [InlineData("host", "cpu", false)]
    [InlineData("heartbeat", "", true)]
    public void TargetsParsePerType(string type, string target, bool ok)
    {
        var input = Valid();
        input.Type = type;
        input.Target = target;
        var (_, errors) = ServiceValidator.Validate(input);
        Assert.Equal(ok, !errors.ContainsKey("target"));
    }

    [Fact]
    public void ConditionsAreChecked()
    {
        var input = Valid();
        input.Conditions = [new CheckCondition("teapot", null, null, "x"), new CheckCondition("latencyMs", null, "~", "5"), new CheckCondition("jsonPath", null, null, "up")];
        var (_, errors) = ServiceValidator.Validate(input);
        Assert.Contains("conditions[0].kind", errors.Keys);
        Assert.Contains("conditions[1].op", errors.Keys);
        Assert.Contains("conditions[2].key", errors.Keys);
    }

    [Fact]
    public void UpdateKeepsIdentityAndBumpsVersion()
    {
        var (first, _) = ServiceValidator.Validate(Valid());
        var existing = first! with { Id = 42, CreatedAtMs = 5 };
        var input = Valid();
        input.IntervalSeconds = 60;
        var (updated, errors) = ServiceValidator.Validate(input, existing);
        Assert.Empty(errors);
        Assert.Equal(42, updated!.Id);
        Assert.Equal(5, updated.CreatedAtMs);
        Assert.Equal(existing.Version + 1, updated.Version);
    }
}
