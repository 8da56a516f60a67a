/// Request and response members of TagResource, UntagResource, ListTagsForResource.

struct TagResourceRequest: Decodable {
    var resourceArn: String?
    var tags: [ECSTag]?
}

struct UntagResourceRequest: Decodable {
    var resourceArn: String?
    var tagKeys: [String]?
}

struct ListTagsForResourceRequest: Decodable {
    var resourceArn: String?
}

struct ListTagsForResourceResponse: Encodable {
    var tags: [ECSTag]
}
