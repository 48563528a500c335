using System.Text.Json;

namespace CleverSyncSOS.Clever;

/// <summary>
/// Reads a page of users (the bulk of every full sync: up to 10 000 a page) in one forward pass of a
/// <see cref="Utf8JsonReader"/> over the buffered body, straight into <see cref="CleverUser"/>s, reading only the
/// fields the sync uses and skipping the rest unread. It applies the same rules as the source-generated contracts
/// (<see cref="CleverJsonContext"/> with <see cref="LenientStringConverter"/>, <see cref="LenientUtcDateTimeConverter"/>
/// and <see cref="LenientRecordConverter{T}"/>), which events still use, so a user reads the same either way
/// (tests compare the two on odd records): text fields take numbers and booleans as their text and anything else as
/// absent; a record whose objects or lists come in another shape is a malformed record with only its id; JSON that is
/// not valid (truncated, garbage) fails the whole page.
/// </summary>
public sealed class CleverUserPageParser : ICleverPageParser<CleverUser>
{
    public static CleverUserPageParser Instance { get; } = new();

    public CleverPage<CleverUser> Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("the body is not a JSON object");
        }

        List<CleverUser>? records = null;
        string? next = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                records = ReadData(ref reader);
            }
            else if (reader.ValueTextEquals("links"u8))
            {
                reader.Read();
                next = ReadNextLink(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Past the page's closing brace only whitespace may follow: the reader throws on anything else.
        while (reader.Read())
        {
        }

        return new CleverPage<CleverUser>(records, next);
    }

    private static List<CleverUser>? ReadData(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("the page's data is not an array");
        }

        var records = new List<CleverUser>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    // A null entry is a record that cannot be read at all: counted as malformed, never skipped silently.
                    records.Add(new CleverUser { IsMalformed = true });
                    break;
                case JsonTokenType.StartObject:
                    records.Add(ReadEntry(ref reader));
                    break;
                default:
                    throw new JsonException($"entry {records.Count} of the page's data is not an object");
            }
        }

        return records;
    }

    /// <summary>One entry, <c>{"data": {...user...}, "uri": "..."}</c>: a user that is not an object is malformed.</summary>
    private static CleverUser ReadEntry(ref Utf8JsonReader reader)
    {
        CleverUser? user = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isData = reader.ValueTextEquals("data"u8);
            reader.Read();
            if (!isData)
            {
                reader.Skip();
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                user = ReadUser(ref reader);
            }
            else
            {
                reader.Skip();
                user = reader.TokenType == JsonTokenType.Null ? null : new CleverUser { IsMalformed = true };
            }
        }

        return user ?? new CleverUser { IsMalformed = true };
    }

    private static CleverUser ReadUser(ref Utf8JsonReader reader)
    {
        var start = reader;
        try
        {
            return ReadUserFields(ref reader);
        }
        catch (Exception ex) when (ex is WrongShape or InvalidOperationException)
        {
            // Not the shape Clever documents (or text that is not UTF-8): read again from its start only for its id.
            // A syntax error is a JsonException and fails the page, as it should.
            reader = start;
            return new CleverUser { Id = IdOf(ref reader), IsMalformed = true };
        }
    }

    private static CleverUser ReadUserFields(ref Utf8JsonReader reader)
    {
        var user = new CleverUser();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                user.Id = Text(ref reader);
            }
            else if (reader.ValueTextEquals("district"u8))
            {
                user.District = Text(ref reader);
            }
            else if (reader.ValueTextEquals("email"u8))
            {
                user.Email = Text(ref reader);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                user.Name = Object(ref reader) ? ReadName(ref reader) : null;
            }
            else if (reader.ValueTextEquals("last_modified"u8))
            {
                reader.Read();
                user.LastModified = LenientUtcDateTimeConverter.ReadUtc(ref reader);
            }
            else if (reader.ValueTextEquals("roles"u8))
            {
                user.Roles = Object(ref reader) ? ReadRoles(ref reader) : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return user;
    }

    private static CleverName ReadName(ref Utf8JsonReader reader)
    {
        var name = new CleverName();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("first"u8))
            {
                name.First = Text(ref reader);
            }
            else if (reader.ValueTextEquals("middle"u8))
            {
                name.Middle = Text(ref reader);
            }
            else if (reader.ValueTextEquals("last"u8))
            {
                name.Last = Text(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return name;
    }

    private static CleverRoles ReadRoles(ref Utf8JsonReader reader)
    {
        var roles = new CleverRoles();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("student"u8))
            {
                roles.Student = Object(ref reader) ? ReadStudentRole(ref reader) : null;
            }
            else if (reader.ValueTextEquals("teacher"u8))
            {
                roles.Teacher = Object(ref reader) ? ReadTeacherRole(ref reader) : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return roles;
    }

    private static CleverStudentRole ReadStudentRole(ref Utf8JsonReader reader)
    {
        var role = new CleverStudentRole();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("school"u8))
            {
                role.School = Text(ref reader);
            }
            else if (reader.ValueTextEquals("schools"u8))
            {
                role.Schools = Texts(ref reader);
            }
            else if (reader.ValueTextEquals("student_number"u8))
            {
                role.StudentNumber = Text(ref reader);
            }
            else if (reader.ValueTextEquals("grade"u8))
            {
                role.Grade = Text(ref reader);
            }
            else if (reader.ValueTextEquals("email"u8))
            {
                role.Email = Text(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return role;
    }

    private static CleverTeacherRole ReadTeacherRole(ref Utf8JsonReader reader)
    {
        var role = new CleverTeacherRole();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("school"u8))
            {
                role.School = Text(ref reader);
            }
            else if (reader.ValueTextEquals("schools"u8))
            {
                role.Schools = Texts(ref reader);
            }
            else if (reader.ValueTextEquals("title"u8))
            {
                role.Title = Text(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return role;
    }

    /// <summary>The value after a property name, read by the lenient text rule.</summary>
    private static string? Text(ref Utf8JsonReader reader)
    {
        reader.Read();
        return LenientStringConverter.ReadText(ref reader);
    }

    /// <summary>A list of text (a role's schools): null stays null, any other non-list makes the record malformed.</summary>
    private static List<string>? Texts(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new WrongShape();
        }

        var values = new List<string>(2);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(LenientStringConverter.ReadText(ref reader)!);
        }

        return values;
    }

    /// <summary>Moves to the value after a property name: true on an object, false on null; any other value makes the record malformed.</summary>
    private static bool Object(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.StartObject => true,
            JsonTokenType.Null => false,
            _ => throw new WrongShape(),
        };
    }

    /// <summary>The id of a record read as malformed (text only, the last one if repeated), the reader left on its closing brace.</summary>
    private static string? IdOf(ref Utf8JsonReader reader)
    {
        string? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isId && reader.TokenType == JsonTokenType.String)
            {
                try
                {
                    id = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    id = null; // not UTF-8: no usable id
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return id;
    }

    /// <summary>A record's value in a shape Clever does not document there: the record is malformed, the page goes on.</summary>
    private sealed class WrongShape : Exception;

    private static string? ReadNextLink(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("the page's links are not an array");
        }

        string? next = null;
        var found = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("an entry of the page's links is not an object");
            }

            string? rel = null, uri = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("rel"u8))
                {
                    rel = Text(ref reader);
                }
                else if (reader.ValueTextEquals("uri"u8))
                {
                    uri = Text(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // The first link named next wins, as with the contracts.
            if (!found && rel == "next")
            {
                (next, found) = (uri, true);
            }
        }

        return next;
    }
}
