#include "schemacheck.h"

#include "util/asciistrings.h"

#include "timeformats.h"

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>

namespace iotc {

using json = PayloadJson;

namespace {

const char* jsonTypeName(const json& v)
{
    switch (v.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::boolean:
        return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        return "an integer";
    case json::value_t::number_float:
        return "a number";
    case json::value_t::string:
        return "a string";
    case json::value_t::array:
        return "an array";
    case json::value_t::object:
        return "an object";
    default:
        return "an unknown value";
    }
}

// The value as an integer when it is an integral JSON number (21 or 21.0), else nullopt.
struct Integral {
    bool ok = false;
    bool negative = false;
    uint64_t magnitude = 0;
};

Integral integral(const json& v)
{
    Integral r;
    if (v.is_number_unsigned()) {
        r.ok = true;
        r.magnitude = v.get<uint64_t>();
    } else if (v.is_number_integer()) {
        const auto i = v.get<int64_t>();
        r.ok = true;
        r.negative = i < 0;
        r.magnitude = r.negative ? static_cast<uint64_t>(-(i + 1)) + 1 : static_cast<uint64_t>(i);
    } else if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 18446744073709551616.0) {
            r.ok = true;
            r.negative = d < 0;
            r.magnitude = static_cast<uint64_t>(std::fabs(d));
        }
    }
    return r;
}

bool inRange(const Integral& i, int64_t min, uint64_t max)
{
    if (!i.ok)
        return false;
    if (i.negative)
        return min < 0 && i.magnitude <= static_cast<uint64_t>(-(min + 1)) + 1;
    return i.magnitude <= max;
}

struct IntRange {
    int64_t min;
    uint64_t max;
    const char* text;
};

const IntRange* integerRange(SchemaKind kind)
{
    static constexpr IntRange integer { std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(),
        "-2147483648..2147483647" };
    static constexpr IntRange longRange { std::numeric_limits<int64_t>::min(),
        static_cast<uint64_t>(std::numeric_limits<int64_t>::max()), "-9223372036854775808..9223372036854775807" };
    static constexpr IntRange byteRange { -128, 127, "-128..127" };
    static constexpr IntRange shortRange { -32768, 32767, "-32768..32767" };
    static constexpr IntRange ubyte { 0, 255, "0..255" };
    static constexpr IntRange ushort { 0, 65535, "0..65535" };
    static constexpr IntRange uint { 0, 4294967295ULL, "0..4294967295" };
    static constexpr IntRange ulong { 0, std::numeric_limits<uint64_t>::max(), "0..18446744073709551615" };
    switch (kind) {
    case SchemaKind::Integer:
        return &integer;
    case SchemaKind::Long:
        return &longRange;
    case SchemaKind::Byte:
        return &byteRange;
    case SchemaKind::Short:
        return &shortRange;
    case SchemaKind::UnsignedByte:
        return &ubyte;
    case SchemaKind::UnsignedShort:
        return &ushort;
    case SchemaKind::UnsignedInteger:
        return &uint;
    case SchemaKind::UnsignedLong:
        return &ulong;
    default:
        return nullptr;
    }
}

std::optional<std::string> quoteHint(const json& value, const Schema& schema)
{
    if (!value.is_string())
        return std::nullopt;
    const auto& s = value.get_ref<const std::string&>();
    if (schema.kind == SchemaKind::Boolean && (s == "true" || s == "false"))
        return "send " + s + " without quotes: a JSON boolean, not a string";
    // A JSON number starts, after any byte-order mark and whitespace, with '-' or a digit: other
    // text ("curr_temp") is told apart without running the parser.
    const size_t first = s.find_first_not_of(" \t\n\r");
    const bool mayBeNumber
        = first != std::string::npos && (s[first] == '-' || (s[first] >= '0' && s[first] <= '9') || s[first] == '\xEF');
    if (isNumericKind(schema.kind) && mayBeNumber) {
        auto parsed = json::parse(s, nullptr, false);
        if (!parsed.is_discarded() && parsed.is_number())
            return "send " + s + " without quotes: a JSON number, not a string";
    }
    return std::nullopt;
}

bool mismatch(const json& value, const Schema& schema, const PathNode& path, IssueList& issues,
    const std::string& detail = {}, std::optional<std::string> suggestion = std::nullopt)
{
    Issue issue;
    issue.path = path.render();
    issue.expected = describeSchema(schema);
    std::string message = (issue.path.empty() ? std::string("The value") : backticked(issue.path))
        + " should be of type " + *issue.expected + " but the device sent " + jsonTypeName(value);
    if (!detail.empty())
        message += " (" + detail + ")";
    if (!suggestion)
        suggestion = quoteHint(value, schema);
    issue.code = std::string(codes::SchemaMismatch);
    issue.severity = Severity::Error;
    issue.message = std::move(message);
    issue.actual = excerptJson(value);
    issue.suggestion = std::move(suggestion);
    issues.add(std::move(issue));
    return false;
}

bool isJsonNumber(const json& v)
{
    return v.is_number();
} // never true for booleans in nlohmann

bool checkPosition(const json& v)
{
    if (!v.is_array() || v.size() < 2 || v.size() > 3)
        return false;
    for (const auto& c : v) {
        if (!isJsonNumber(c))
            return false;
    }
    return true;
}

bool checkPositions(const json& v, int depth)
{
    if (depth == 0)
        return checkPosition(v);
    if (!v.is_array())
        return false;
    for (const auto& e : v) {
        if (!checkPositions(e, depth - 1))
            return false;
    }
    return true;
}

bool checkGeoJson(const json& value, const Schema& schema, const PathNode& path, IssueList& issues)
{
    struct GeoShape {
        SchemaKind kind;
        const char* type;
        int depth;
    };
    static constexpr GeoShape shapes[] = {
        { SchemaKind::GeoPoint, "Point", 0 },
        { SchemaKind::GeoMultiPoint, "MultiPoint", 1 },
        { SchemaKind::GeoLineString, "LineString", 1 },
        { SchemaKind::GeoMultiLineString, "MultiLineString", 2 },
        { SchemaKind::GeoPolygon, "Polygon", 2 },
        { SchemaKind::GeoMultiPolygon, "MultiPolygon", 3 },
    };
    const GeoShape* shape = nullptr;
    for (const auto& s : shapes) {
        if (s.kind == schema.kind)
            shape = &s;
    }
    if (!value.is_object() || !shape)
        return mismatch(value, schema, path, issues);
    auto type = value.find("type");
    if (type == value.end() || !type->is_string() || type->get_ref<const std::string&>() != shape->type)
        return mismatch(value, schema, path, issues, std::string(R"("type" must be ")") + shape->type + "\"");
    auto coords = value.find("coordinates");
    if (coords == value.end() || !checkPositions(*coords, shape->depth))
        return mismatch(value, schema, path, issues, "\"coordinates\" must hold [longitude, latitude] positions");
    return true;
}

bool checkGeopoint(const json& value, const Schema& schema, const PathNode& path, IssueList& issues)
{
    if (!value.is_object())
        return mismatch(value, schema, path, issues);
    bool ok = true;
    for (const auto& [key, member] : value.items()) {
        PathNode child { &path, key };
        if (key != "lat" && key != "lon" && key != "alt") {
            Issue issue;
            issue.code = std::string(codes::SchemaMismatch);
            issue.severity = Severity::Error;
            issue.path = child.render();
            issue.message = "geopoint takes only lat, lon and alt; " + backticked(key) + " is not one of them";
            issue.expected = "lat, lon, alt";
            issue.actual = key;
            if (key == "latitude" || key == "longitude" || key == "lng" || key == "long")
                issue.suggestion = "use lat and lon";
            issues.add(std::move(issue));
            ok = false;
            continue;
        }
        if (member.is_null())
            continue;
        if (!isJsonNumber(member)) {
            static const Schema number = [] {
                Schema s;
                s.kind = SchemaKind::Double;
                s.typeName = "double";
                return s;
            }();
            ok = mismatch(member, number, child, issues) && ok;
            continue;
        }
        const double d = member.get<double>();
        if ((key == "lat" && (d < -90 || d > 90)) || (key == "lon" && (d < -180 || d > 180))) {
            Issue issue;
            issue.code = std::string(codes::SchemaMismatch);
            issue.severity = Severity::Error;
            issue.path = child.render();
            issue.message = backticked(issue.path) + " is out of range";
            issue.expected = key == "lat" ? "-90..90" : "-180..180";
            issue.actual = excerptJson(member);
            issues.add(std::move(issue));
            ok = false;
        }
    }
    if (!value.contains("lat") || !value.contains("lon"))
        return mismatch(value, schema, path, issues, "lat and lon are required");
    return ok;
}

bool checkVector(const json& value, const Schema& schema, const PathNode& path, IssueList& issues)
{
    if (!value.is_object() || value.size() != 3 || !value.contains("x") || !value.contains("y") || !value.contains("z"))
        return mismatch(value, schema, path, issues, value.is_object() ? "exactly x, y and z are required" : "");
    for (const auto& [key, member] : value.items()) {
        if (!member.is_null() && !isJsonNumber(member))
            return mismatch(value, schema, path, issues, key + " must be a number");
    }
    return true;
}

bool enumEquals(const json& a, const json& b)
{
    if (a.is_number() && b.is_number())
        return a.get<double>() == b.get<double>();
    return a == b;
}

bool checkEnum(const json& value, const Schema& schema, const PathNode& path, IssueList& issues)
{
    const bool stringEnum = schema.enumValueKind == SchemaKind::String;
    for (const auto& ev : schema.enumValues) {
        if (enumEquals(value, ev.value) && (stringEnum ? value.is_string() : value.is_number()))
            return true;
    }
    std::optional<std::string> suggestion;
    if (value.is_string()) {
        for (const auto& ev : schema.enumValues) {
            if (ev.name == value.get_ref<const std::string&>() && !ev.value.is_string()) {
                suggestion = "send the enum value " + excerptJson(ev.value) + ", not its name \"" + ev.name + "\"";
                break;
            }
        }
    }
    return mismatch(value, schema, path, issues, "not one of the enum values", suggestion);
}

bool checkObject(const json& value, const Schema& schema, const PathNode& path, IssueList& issues)
{
    if (!value.is_object())
        return mismatch(value, schema, path, issues);
    bool ok = true;
    for (const auto& [key, member] : value.items()) {
        PathNode child { &path, key };
        const SchemaField* field = schema.field(key);
        if (!field) {
            std::string known;
            std::optional<std::string> suggestion;
            for (const auto& f : schema.fields) {
                known += (known.empty() ? "" : ", ") + f.name;
                if (equalsIgnoringCase(f.name, key))
                    suggestion = "did you mean " + backticked(f.name) + "? Names are case-sensitive";
            }
            Issue issue;
            issue.code = std::string(codes::SchemaMismatch);
            issue.severity = Severity::Error;
            issue.path = child.render();
            issue.message = backticked(key) + " is not a field of the Object schema at "
                + (path.render().empty() ? std::string("the top") : backticked(path.render()));
            issue.expected = "one of the fields: " + known;
            issue.actual = key;
            issue.suggestion = std::move(suggestion);
            issues.add(std::move(issue));
            ok = false;
            continue;
        }
        if (field->schema)
            ok = checkValue(member, *field->schema, child, issues) && ok;
    }
    return ok;
}

} // namespace

bool isIntegralNumber(const json& value)
{
    const auto i = integral(value);
    return inRange(i, std::numeric_limits<int64_t>::min(), static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
}

std::string describeSchema(const Schema& schema)
{
    switch (schema.kind) {
    case SchemaKind::Enum: {
        std::string out = std::string("Enum (") + schemaKindName(schema.enumValueKind) + ")";
        if (!schema.enumValues.empty()) {
            out += ": ";
            size_t n = 0;
            for (const auto& ev : schema.enumValues) {
                if (n++ == 8) {
                    out += ", …";
                    break;
                }
                out += (n > 1 ? ", " : "") + excerptJson(ev.value, 40);
                if (!ev.name.empty() && ev.value != json(ev.name))
                    out += " (" + ev.name + ")";
            }
        }
        return out;
    }
    case SchemaKind::Object: {
        std::string out = "Object {";
        size_t n = 0;
        for (const auto& f : schema.fields) {
            if (n++ == 10) {
                out += ", …";
                break;
            }
            out += (n > 1 ? ", " : "") + f.name;
        }
        return out + "}";
    }
    case SchemaKind::Map:
        return "Map of " + (schema.element ? describeSchema(*schema.element) : std::string("values"));
    case SchemaKind::Array:
        return "Array of " + (schema.element ? describeSchema(*schema.element) : std::string("values"));
    case SchemaKind::Geopoint:
        return "geopoint {lat, lon, alt?}";
    case SchemaKind::Vector:
        return "vector {x, y, z}";
    default:
        if (const auto* range = integerRange(schema.kind))
            return std::string(schemaKindName(schema.kind)) + " (" + range->text + ")";
        return schema.typeName.empty() ? std::string(schemaKindName(schema.kind)) : schema.typeName;
    }
}

bool checkValue(const json& value, const Schema& schema, const PathNode& path, IssueList& issues)
{
    if (value.is_null())
        return true;
    switch (schema.kind) {
    case SchemaKind::Boolean:
        return value.is_boolean() || mismatch(value, schema, path, issues);
    case SchemaKind::Double:
        return value.is_number() || mismatch(value, schema, path, issues);
    case SchemaKind::Float:
        if (!value.is_number())
            return mismatch(value, schema, path, issues);
        if (std::fabs(value.get<double>()) > FLT_MAX)
            return mismatch(value, schema, path, issues, "out of range for a 32-bit float");
        return true;
    case SchemaKind::Integer:
    case SchemaKind::Long:
    case SchemaKind::Byte:
    case SchemaKind::Short:
    case SchemaKind::UnsignedByte:
    case SchemaKind::UnsignedShort:
    case SchemaKind::UnsignedInteger:
    case SchemaKind::UnsignedLong: {
        if (!value.is_number())
            return mismatch(value, schema, path, issues);
        const auto* range = integerRange(schema.kind);
        const auto i = integral(value);
        if (!i.ok)
            return mismatch(value, schema, path, issues, "not a whole number");
        if (!inRange(i, range->min, range->max))
            return mismatch(value, schema, path, issues, std::string("out of range ") + range->text);
        return true;
    }
    case SchemaKind::String:
        return value.is_string() || mismatch(value, schema, path, issues);
    case SchemaKind::Date:
        if (!value.is_string() || !isRfc3339Date(value.get_ref<const std::string&>()))
            return mismatch(value, schema, path, issues, value.is_string() ? "expected YYYY-MM-DD (RFC 3339)" : "");
        return true;
    case SchemaKind::DateTime:
        if (!value.is_string() || !isRfc3339DateTime(value.get_ref<const std::string&>()))
            return mismatch(value, schema, path, issues,
                value.is_string() ? "expected an RFC 3339 date-time such as 2024-05-01T13:45:00Z" : "");
        return true;
    case SchemaKind::Time:
        if (!value.is_string() || !isRfc3339Time(value.get_ref<const std::string&>()))
            return mismatch(
                value, schema, path, issues, value.is_string() ? "expected hh:mm:ss, optionally with a zone" : "");
        return true;
    case SchemaKind::Duration:
        if (!value.is_string() || !isIso8601Duration(value.get_ref<const std::string&>()))
            return mismatch(
                value, schema, path, issues, value.is_string() ? "expected an ISO 8601 duration such as PT15M" : "");
        return true;
    case SchemaKind::Uuid:
        if (!value.is_string() || !isUuid(value.get_ref<const std::string&>()))
            return mismatch(value, schema, path, issues);
        return true;
    case SchemaKind::Bytes:
        if (!value.is_string() || !isBase64(value.get_ref<const std::string&>()))
            return mismatch(value, schema, path, issues, value.is_string() ? "expected base64 text" : "");
        return true;
    case SchemaKind::Decimal:
        if (value.is_number())
            return true;
        if (!value.is_string() || !isDecimalText(value.get_ref<const std::string&>()))
            return mismatch(value, schema, path, issues);
        return true;
    case SchemaKind::Enum:
        return checkEnum(value, schema, path, issues);
    case SchemaKind::Object:
        return checkObject(value, schema, path, issues);
    case SchemaKind::Map: {
        if (!value.is_object())
            return mismatch(value, schema, path, issues);
        bool ok = true;
        if (schema.element) {
            for (const auto& [key, member] : value.items()) {
                PathNode child { &path, key };
                ok = checkValue(member, *schema.element, child, issues) && ok;
            }
        }
        return ok;
    }
    case SchemaKind::Array: {
        if (!value.is_array())
            return mismatch(value, schema, path, issues);
        bool ok = true;
        if (schema.element) {
            long i = 0;
            for (const auto& element : value) {
                PathNode child { &path, {}, i++ };
                ok = checkValue(element, *schema.element, child, issues) && ok;
            }
        }
        return ok;
    }
    case SchemaKind::Geopoint:
        return checkGeopoint(value, schema, path, issues);
    case SchemaKind::Vector:
        return checkVector(value, schema, path, issues);
    case SchemaKind::GeoPoint:
    case SchemaKind::GeoMultiPoint:
    case SchemaKind::GeoLineString:
    case SchemaKind::GeoMultiLineString:
    case SchemaKind::GeoPolygon:
    case SchemaKind::GeoMultiPolygon:
        return checkGeoJson(value, schema, path, issues);
    case SchemaKind::Unknown:
        return true;
    }
    return true;
}

} // namespace iotc
