/// Request and response members of PutAttributes, ListAttributes, DeleteAttributes.

struct PutAttributesRequest: Decodable {
    var cluster: String?
    var attributes: [ECSAttribute]?
}

/// PutAttributes and DeleteAttributes answer the attributes they acted on.
struct AttributesResponse: Encodable {
    var attributes: [ECSAttribute]
}

struct DeleteAttributesRequest: Decodable {
    var cluster: String?
    var attributes: [ECSAttribute]?
}

struct ListAttributesRequest: Decodable {
    var cluster: String?
    var targetType: String?
    var attributeName: String?
    var attributeValue: String?
    var nextToken: String?
    var maxResults: Int?
}

struct ListAttributesResponse: Encodable {
    var attributes: [ECSAttribute]
    var nextToken: String?
}
