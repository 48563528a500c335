using System.Text;
using System.Text.Json;
using CleverSyncSOS.Clever;

namespace CleverSyncSOS.Tests.Clever;

/// <summary>
/// The one-pass parser of user pages must read every record exactly as the source-generated contracts do (events
/// still read users through them), odd records included, and refuse what is not a Clever page with a message that
/// names the problem.
/// </summary>
public sealed class UserPageParserTests
{
    private static readonly JsonPageParser<CleverUser> Contracts = new(CleverJsonContext.Default.CleverApiResponseCleverUser);

    private const string Ada = """
        {"id":"u1","district":"d1","email":"ada@example.org","name":{"first":"Ada","middle":"M","last":"Lovelace"},
         "created":"2024-08-01T17:00:00.000Z","last_modified":"2024-09-01T10:00:00.123Z",
         "roles":{"student":{"school":"s1","schools":["s1","s2"],"sis_id":"1","student_number":"100001","grade":"5",
           "credentials":{"district_username":"ada"},"enrollments":[{"school":"s1","start_date":"2024-08-20"}],"email":"role@example.org"},
           "teacher":{"school":"s1","schools":["s1"],"title":"Math Teacher","credentials":{"x":[1,2,{"y":null}]}},
           "staff":{"department":"Library"}}}
        """;

    public static TheoryData<string, string> OddRecords() => new()
    {
        { "a whole user", Ada },
        { "numbers and booleans for text", """{"id":12345,"email":true,"name":{"first":7.5,"last":false},"roles":{"student":{"school":"s1","grade":5,"student_number":1e3}}}""" },
        { "objects and lists for text", """{"id":{"x":1},"district":[1,2],"name":{"first":{"a":"b"},"last":[]},"roles":{"teacher":{"title":{"t":1}}}}""" },
        { "a string for the name", """{"id":"u2","name":"Ada Lovelace","roles":{"student":{"school":"s1"}}}""" },
        { "a list for the roles, the id last", """{"name":{"first":"A","last":"B"},"roles":[{"student":{}}],"id":"u3"}""" },
        { "a string for a role", """{"id":"u4","roles":{"student":"yes"}}""" },
        { "a string for the schools", """{"id":"u5","roles":{"teacher":{"schools":"s1"}}}""" },
        { "odd schools entries", """{"id":"u6","roles":{"student":{"schools":["s1",5,{"x":1},null,true,[]]}}}""" },
        { "nulls everywhere", """{"id":null,"district":null,"email":null,"name":null,"last_modified":null,"roles":{"student":null,"teacher":{"schools":null}}}""" },
        { "timestamps odd and ordinary", """{"id":"u7","last_modified":"2024-09-01T10:00:00+02:00"}""" },
        { "a timestamp that is not one", """{"id":"u8","last_modified":"last tuesday"}""" },
        { "a number for a timestamp", """{"id":"u9","last_modified":1725184800}""" },
        { "a timestamp without an offset", """{"id":"u10","last_modified":"2024-09-01 10:00:00"}""" },
        { "a repeated id", """{"id":"first","id":"second"}""" },
        { "escaped property names", """{"i\u0064":"u11","na\u006De":{"fir\u0073t":"Esc\u00e4ped \ud83d\ude00"}}""" },
        { "a number id and a wrong shape", """{"id":42,"name":5}""" },
        { "a huge name", $$$"""{"id":"u12","name":{"first":"{{{new string('x', 50_000)}}}","last":"L"}}""" },
        { "deep unknown fields", """{"id":"u13","ext":{"a":{"b":{"c":[[[{"d":"e"}]]]}}},"roles":{"student":{"school":"s1","x":[{"y":[1,{"z":"w"}]}]}}}""" },
        { "differently cased names are not the fields", """{"ID":"x","Id":"y","id":"u14","Name":{"first":"no"}}""" },
    };

    [Theory]
    [MemberData(nameof(OddRecords))]
    public void A_user_reads_the_same_through_the_page_parser_and_the_contracts(string what, string user)
    {
        var page = Encoding.UTF8.GetBytes($$$"""{"data":[{"data":{{{user}}},"uri":"/v3.0/users/x"}],"links":[{"rel":"self","uri":"/a"}]}""");

        var expected = Assert.Single(Contracts.Parse(page).Records!);
        var actual = Assert.Single(CleverUserPageParser.Instance.Parse(page).Records!);

        Assert.True(Describe(expected) == Describe(actual), $"{what}: contracts {Describe(expected)}, page parser {Describe(actual)}");
    }

    [Fact]
    public void Entries_that_are_null_or_hold_no_user_object_are_malformed_records_in_their_place()
    {
        var page = Encoding.UTF8.GetBytes($$$"""
            {"data":[{"data":{{{Ada}}}},null,{"uri":"/only-uri"},{"data":null},{"data":"text"},{"data":[1]},{"data":5},{"data":{"id":"last"}}],
             "links":[null,{"rel":"self","uri":"/self"},{"rel":"next","uri":"/next-1"},{"rel":"next","uri":"/next-2"}]}
            """);

        var expected = Contracts.Parse(page);
        var actual = CleverUserPageParser.Instance.Parse(page);

        Assert.Equal(expected.Records!.Select(Describe), actual.Records!.Select(Describe));
        Assert.Equal([false, true, true, true, true, true, true, false], actual.Records!.Select(r => r.IsMalformed));
        Assert.Equal("/next-1", actual.NextLink);
        Assert.Equal(expected.NextLink, actual.NextLink);
    }

    [Fact]
    public void Text_that_is_not_UTF8_makes_only_its_record_malformed()
    {
        var bad = Encoding.UTF8.GetBytes("""{"data":[{"data":{"id":"u1","name":{"first":"X"}}},{"data":{"id":"u2","name":{"first":"?"}}},{"data":{"id":"u3"}}]}""");
        bad[Array.IndexOf(bad, (byte)'?')] = 0xC3; // a lead byte with no continuation

        var records = CleverUserPageParser.Instance.Parse(bad).Records!;

        Assert.Equal([("u1", false), ("u2", true), ("u3", false)], records.Select(r => (r.Id, r.IsMalformed)));
    }

    [Theory]
    [InlineData("[1, 2, 3]", "the body is not a JSON object")]
    [InlineData("\"data\"", "the body is not a JSON object")]
    [InlineData("{\"data\": 5}", "the page's data is not an array")]
    [InlineData("{\"data\": {\"id\": \"u1\"}}", "the page's data is not an array")]
    [InlineData("{\"data\": [{\"data\": {}}, 7]}", "entry 1 of the page's data is not an object")]
    [InlineData("{\"data\": [], \"links\": {\"rel\": \"next\"}}", "the page's links are not an array")]
    [InlineData("{\"data\": [], \"links\": [\"next\"]}", "an entry of the page's links is not an object")]
    public void A_body_that_is_not_a_page_is_refused_with_the_problem_named(string body, string problem)
    {
        var ex = Assert.Throws<JsonException>(() => CleverUserPageParser.Instance.Parse(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(problem, ex.Message);
    }

    [Theory]
    [InlineData("{\"data\":[{\"data\":{\"id\":\"5f0e")]
    [InlineData("{\"data\":[{\"data\":{\"id\":\"u1\",\"name\":\"wrong shape\",")]
    [InlineData("{\"data\":[]} trailing")]
    [InlineData("{\"data\":[]}{\"data\":[]}")]
    [InlineData("{\"data\":[{\"data\":{\"id\":\"u1\" \"x\":1}}]}")]
    [InlineData("{\"data\":[], /* a comment */ \"links\":[]}")]
    [InlineData("")]
    public void JSON_that_is_truncated_or_not_JSON_fails_the_whole_page(string body)
    {
        Assert.ThrowsAny<JsonException>(() => CleverUserPageParser.Instance.Parse(Encoding.UTF8.GetBytes(body)));
        Assert.ThrowsAny<JsonException>(() => Contracts.Parse(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"data\": null}")]
    [InlineData("{\"links\": [], \"data\": null}")]
    public void A_page_without_a_data_array_has_no_records_rather_than_none(string body)
    {
        Assert.Null(CleverUserPageParser.Instance.Parse(Encoding.UTF8.GetBytes(body)).Records);
        Assert.Null(Contracts.Parse(Encoding.UTF8.GetBytes(body)).Records);
    }

    [Fact]
    public void The_contracts_name_the_place_in_the_JSON_not_a_dotNET_type()
    {
        var sections = new JsonPageParser<CleverSection>(CleverClassJsonContext.Default.CleverApiResponseCleverSection);

        var root = Assert.Throws<JsonException>(() => sections.Parse("[1, 2, 3]"u8));
        var data = Assert.Throws<JsonException>(() => sections.Parse("{\"data\": 5}"u8));

        Assert.Equal("the body is not a JSON object", root.Message);
        Assert.Equal("the value at $.data is not of the type Clever documents there", data.Message);
    }

    private static string Describe(CleverUser user) =>
        $"{(user.IsMalformed ? "malformed " : "")}{JsonSerializer.Serialize(user, CleverJsonContext.Default.CleverUser)}";
}
