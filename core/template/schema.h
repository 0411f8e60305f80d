#pragma once

#include "hashedorderedmap.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace iotc {

// Every DTDL schema the validator knows: the primitives of DTDL v2/v3, v4's extra primitives,
// the complex schemas, IoT Central's geopoint/vector and the DTDL geospatial (GeoJSON) schemas.
enum class SchemaKind {
    Boolean,
    Date,
    DateTime,
    Double,
    Duration,
    Float,
    Integer,
    Long,
    String,
    Time,
    // DTDL v4 primitives
    Byte,
    Bytes,
    Decimal,
    Short,
    UnsignedByte,
    UnsignedShort,
    UnsignedInteger,
    UnsignedLong,
    Uuid,
    // complex
    Enum,
    Object,
    Map,
    Array,
    // IoT Central extension
    Geopoint,
    Vector,
    // DTDL geospatial (GeoJSON geometry)
    GeoPoint,
    GeoMultiPoint,
    GeoLineString,
    GeoMultiLineString,
    GeoPolygon,
    GeoMultiPolygon,
    // a schema we could not classify; values are accepted and the capability is flagged
    Unknown,
};

// Payloads are read with their members in the order the device sent them, so issues come out in
// payload order; members are found through a hash index in large objects (see HashedOrderedMap).
using PayloadJson = nlohmann::basic_json<HashedOrderedMap>;

struct Schema;
using SchemaPtr = std::shared_ptr<const Schema>;

struct SchemaField {
    std::string name;
    SchemaPtr schema;
};

struct EnumValue {
    std::string name;
    PayloadJson value;
};

struct Schema {
    SchemaKind kind = SchemaKind::Unknown;
    std::string typeName; // the DTDL name: "double", "Enum", "Object", "geopoint", ...
    std::string id; // @id of a complex schema, when it has one
    std::vector<SchemaField> fields; // Object
    SchemaKind enumValueKind = SchemaKind::Integer; // Enum valueSchema
    std::vector<EnumValue> enumValues; // Enum
    SchemaPtr element; // Array elementSchema, Map mapValue
    std::string mapKeyName; // Map
    std::string mapValueName; // Map

    const SchemaField* field(std::string_view name) const;
};

// The shared instance for a primitive or IoT Central/geospatial schema name ("double",
// "geopoint", "dtmi:iotcentral:schema:vector;2", "point", ...), or null when the name is none.
SchemaPtr builtinSchema(std::string_view name);

// The DTDL spelling of a kind ("double", "Enum", ...).
const char* schemaKindName(SchemaKind kind);

bool isNumericKind(SchemaKind kind);

} // namespace iotc
