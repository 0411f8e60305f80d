#include "schema.h"

#include <array>
#include <unordered_map>

namespace iotc {

const SchemaField* Schema::field(std::string_view name) const
{
    for (const auto& f : fields) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

const char* schemaKindName(SchemaKind kind)
{
    switch (kind) {
    case SchemaKind::Boolean:
        return "boolean";
    case SchemaKind::Date:
        return "date";
    case SchemaKind::DateTime:
        return "dateTime";
    case SchemaKind::Double:
        return "double";
    case SchemaKind::Duration:
        return "duration";
    case SchemaKind::Float:
        return "float";
    case SchemaKind::Integer:
        return "integer";
    case SchemaKind::Long:
        return "long";
    case SchemaKind::String:
        return "string";
    case SchemaKind::Time:
        return "time";
    case SchemaKind::Byte:
        return "byte";
    case SchemaKind::Bytes:
        return "bytes";
    case SchemaKind::Decimal:
        return "decimal";
    case SchemaKind::Short:
        return "short";
    case SchemaKind::UnsignedByte:
        return "unsignedByte";
    case SchemaKind::UnsignedShort:
        return "unsignedShort";
    case SchemaKind::UnsignedInteger:
        return "unsignedInteger";
    case SchemaKind::UnsignedLong:
        return "unsignedLong";
    case SchemaKind::Uuid:
        return "uuid";
    case SchemaKind::Enum:
        return "Enum";
    case SchemaKind::Object:
        return "Object";
    case SchemaKind::Map:
        return "Map";
    case SchemaKind::Array:
        return "Array";
    case SchemaKind::Geopoint:
        return "geopoint";
    case SchemaKind::Vector:
        return "vector";
    case SchemaKind::GeoPoint:
        return "point";
    case SchemaKind::GeoMultiPoint:
        return "multiPoint";
    case SchemaKind::GeoLineString:
        return "lineString";
    case SchemaKind::GeoMultiLineString:
        return "multiLineString";
    case SchemaKind::GeoPolygon:
        return "polygon";
    case SchemaKind::GeoMultiPolygon:
        return "multiPolygon";
    case SchemaKind::Unknown:
        return "unknown";
    }
    return "unknown";
}

bool isNumericKind(SchemaKind kind)
{
    switch (kind) {
    case SchemaKind::Double:
    case SchemaKind::Float:
    case SchemaKind::Integer:
    case SchemaKind::Long:
    case SchemaKind::Byte:
    case SchemaKind::Short:
    case SchemaKind::UnsignedByte:
    case SchemaKind::UnsignedShort:
    case SchemaKind::UnsignedInteger:
    case SchemaKind::UnsignedLong:
        return true;
    default:
        return false;
    }
}

namespace {

SchemaPtr makeBuiltin(SchemaKind kind)
{
    auto s = std::make_shared<Schema>();
    s->kind = kind;
    s->typeName = schemaKindName(kind);
    return s;
}

const std::unordered_map<std::string_view, SchemaPtr>& builtins()
{
    static const auto table = [] {
        std::unordered_map<std::string_view, SchemaPtr> t;
        constexpr std::array kinds { SchemaKind::Boolean, SchemaKind::Date, SchemaKind::DateTime, SchemaKind::Double,
            SchemaKind::Duration, SchemaKind::Float, SchemaKind::Integer, SchemaKind::Long, SchemaKind::String,
            SchemaKind::Time, SchemaKind::Byte, SchemaKind::Bytes, SchemaKind::Decimal, SchemaKind::Short,
            SchemaKind::UnsignedByte, SchemaKind::UnsignedShort, SchemaKind::UnsignedInteger, SchemaKind::UnsignedLong,
            SchemaKind::Uuid, SchemaKind::Geopoint, SchemaKind::Vector, SchemaKind::GeoPoint, SchemaKind::GeoMultiPoint,
            SchemaKind::GeoLineString, SchemaKind::GeoMultiLineString, SchemaKind::GeoPolygon,
            SchemaKind::GeoMultiPolygon };
        for (auto k : kinds)
            t.emplace(schemaKindName(k), makeBuiltin(k));
        t.emplace("dtmi:iotcentral:schema:geopoint;1", t.at("geopoint"));
        t.emplace("dtmi:iotcentral:schema:geopoint;2", t.at("geopoint"));
        t.emplace("dtmi:iotcentral:schema:vector;1", t.at("vector"));
        t.emplace("dtmi:iotcentral:schema:vector;2", t.at("vector"));
        return t;
    }();
    return table;
}

} // namespace

SchemaPtr builtinSchema(std::string_view name)
{
    const auto& t = builtins();
    if (auto it = t.find(name); it != t.end())
        return it->second;
    // DTDL v3/v4 geospatial schemas are DTMIs: dtmi:standard:schema:geospatial:point;3
    constexpr std::string_view geo = "dtmi:standard:schema:geospatial:";
    if (name.starts_with(geo)) {
        auto rest = name.substr(geo.size());
        rest = rest.substr(0, rest.find(';'));
        if (auto it = t.find(rest); it != t.end() && it->second->kind >= SchemaKind::GeoPoint)
            return it->second;
    }
    return nullptr;
}

} // namespace iotc
