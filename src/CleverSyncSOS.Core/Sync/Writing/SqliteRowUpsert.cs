using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CleverSyncSOS.Sync.Writing;

/// <summary>
/// SQLite's bulk path: the one-row upsert prepared once on the transaction's own connection and bound by position,
/// each text written as UTF-8 into one reused buffer. <c>SqliteCommand</c> looks every parameter up by name and
/// converts every string into a new array on each execution, which was most of the managed cost of a row (decision
/// 13). Values are stored exactly as <c>SqliteCommand</c> stores them, so EF Core and the row readers see no
/// difference; a test writes the same rows both ways and compares the stored bytes.
/// </summary>
internal sealed class SqliteRowUpsert : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _valueIndexes;
    private byte[] _utf8 = ArrayPool<byte>.Shared.Rent(1024);

    private SqliteRowUpsert(sqlite3 db, sqlite3_stmt statement, int[] valueIndexes)
    {
        _db = db;
        _statement = statement;
        _valueIndexes = valueIndexes;
    }

    /// <summary>
    /// Prepares <paramref name="sql"/> (a one-row upsert whose values are <c>@p0_0</c> … <c>@p0_{columns-1}</c> and
    /// <c>@now</c>) and binds <paramref name="now"/> for good. Null when the connection is not SQLite's or a column's type
    /// has no path here: the caller then keeps <c>SqliteCommand</c>.
    /// </summary>
    public static SqliteRowUpsert? TryPrepare(System.Data.Common.DbConnection connection, string sql, IReadOnlyList<Type> columnTypes, DateTime now)
    {
        if (connection is not SqliteConnection { Handle: { } db } || !columnTypes.All(IsSupported))
        {
            return null;
        }

        var prepared = raw.sqlite3_prepare_v2(db, sql, out var statement);
        try
        {
            SqliteException.ThrowExceptionForRC(prepared, db);
            var indexes = new int[columnTypes.Count];
            for (var c = 0; c < indexes.Length; c++)
            {
                indexes[c] = raw.sqlite3_bind_parameter_index(statement, $"@p0_{c}");
                if (indexes[c] == 0)
                {
                    throw new InvalidOperationException($"The upsert has no parameter @p0_{c}.");
                }
            }

            var upsert = new SqliteRowUpsert(db, statement, indexes);
            if (raw.sqlite3_bind_parameter_index(statement, "@now") is var nowIndex and > 0)
            {
                upsert.Bind(nowIndex, now);
            }

            return upsert;
        }
        catch
        {
            statement?.Dispose(); // a failed prepare may leave no statement
            throw;
        }
    }

    /// <summary>Writes one row (key first, then the data columns); returns 1 when it was inserted or changed, 0 when it was already so.</summary>
    public int Execute(object?[] row)
    {
        try
        {
            for (var c = 0; c < _valueIndexes.Length; c++)
            {
                Bind(_valueIndexes[c], row[c]);
            }

            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    private static bool IsSupported(Type type) => (Nullable.GetUnderlyingType(type) ?? type) is var t &&
        (t == typeof(string) || t == typeof(DateTime) || t == typeof(bool) || t == typeof(int) || t == typeof(long));

    private void Bind(int index, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(_statement, index),
            string text => BindText(index, text),
            bool flag => raw.sqlite3_bind_int64(_statement, index, flag ? 1 : 0),
            int number => raw.sqlite3_bind_int64(_statement, index, number),
            long number => raw.sqlite3_bind_int64(_statement, index, number),
            // SqliteCommand's text form of a DateTime, so stored timestamps read back (and compare) the same.
            DateTime time => BindText(index, time.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture)),
            var other => throw new NotSupportedException($"No SQLite binding for a {other.GetType().Name} value."),
        };
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    private int BindText(int index, string text)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (length > _utf8.Length)
        {
            ArrayPool<byte>.Shared.Return(_utf8);
            _utf8 = ArrayPool<byte>.Shared.Rent(length);
        }

        var written = Encoding.UTF8.GetBytes(text, _utf8);
        // SQLite copies the bytes (SQLITE_TRANSIENT), so the buffer is free again as soon as this returns.
        return raw.sqlite3_bind_text(_statement, index, _utf8.AsSpan(0, written));
    }

    public void Dispose()
    {
        _statement.Dispose();
        ArrayPool<byte>.Shared.Return(_utf8);
        _utf8 = [];
    }
}
