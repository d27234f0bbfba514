import Foundation
import OTLPProto
import TraceJoinCore

/// Converts protobuf `AnyValue`s and `KeyValue` lists into Core values, as `OTLPValueReader` does for JSON.
enum OTLPProtobufValues {
    typealias AnyValue = Opentelemetry_Proto_Common_V1_AnyValue
    typealias KeyValue = Opentelemetry_Proto_Common_V1_KeyValue

    /// An `AnyValue` as an attribute value; an empty one (no field of the oneof set) is `.null`.
    static func value(_ value: AnyValue) -> AttributeValue {
        switch value.value {
        case .stringValue(let string): .string(string)
        case .boolValue(let bool): .bool(bool)
        case .intValue(let int): .int(int)
        case .doubleValue(let double): .double(double)
        case .bytesValue(let data): .bytes([UInt8](data))
        case .arrayValue(let array): .array(array.values.map(Self.value))
        case .kvlistValue(let list): .keyValueList(attributes(list.values))
        case nil: .null
        }
    }

    /// Key-value pairs as attributes, in order. A key-value without a value holds `.null`.
    static func attributes(_ keyValues: [KeyValue]) -> [Attribute] {
        var result: [Attribute] = []
        result.reserveCapacity(keyValues.count)
        for keyValue in keyValues {
            result.append(Attribute(keyValue.key, keyValue.hasValue ? value(keyValue.value) : .null))
        }
        return result
    }

    /// A log body as message text: a string as itself, nothing as "", anything else as `AttributeValue.text`.
    static func text(_ body: AnyValue?) -> String {
        guard let body else { return "" }
        switch value(body) {
        case .string(let string): return string
        case .null: return ""
        case let other: return other.text
        }
    }
}
