/// TagResource, UntagResource, ListTagsForResource.
extension ECSAPI {
    /// TagResource: adds or replaces tags; a resource may end up with at most 50.
    func tagResource(_ request: TagResourceRequest, _ context: ECSRequestContext) throws(ECSError) -> EmptyResponse {
        let arn = try RequestValidation.required(request.resourceArn, "resourceArn")
        let tags = try TagValidation.validate(RequestValidation.required(request.tags, "tags"))
        return try transaction { db in
            let stored = try TagTarget.resolve(db, arn, context, forUpdate: true)
            try TagRecord.merge(db, resourceArn: stored, tags: tags)
            let count = try TagRecord.countAgainstLimit(db, resourceArn: stored)
            if count > TagValidation.maxTagsPerResource {
                throw ECSError(.limitExceededException,
                               "A resource can have at most \(TagValidation.maxTagsPerResource) tags; this request would leave \(count).")
            }
            return EmptyResponse()
        }
    }

    /// UntagResource: removes the tags with the given keys (absent keys are ignored).
    func untagResource(_ request: UntagResourceRequest, _ context: ECSRequestContext) throws(ECSError) -> EmptyResponse {
        let arn = try RequestValidation.required(request.resourceArn, "resourceArn")
        var keys: [String] = []
        for key in try RequestValidation.required(request.tagKeys, "tagKeys") {
            keys.append(try TagValidation.key(key))
        }
        return try transaction { db in
            let stored = try TagTarget.resolve(db, arn, context, forUpdate: true)
            try TagRecord.remove(db, resourceArn: stored, keys: keys)
            return EmptyResponse()
        }
    }

    /// ListTagsForResource: the resource's tags in the order they were first set.
    func listTagsForResource(_ request: ListTagsForResourceRequest, _ context: ECSRequestContext) throws(ECSError) -> ListTagsForResourceResponse {
        let arn = try RequestValidation.required(request.resourceArn, "resourceArn")
        return try snapshot { db in
            let stored = try TagTarget.resolve(db, arn, context, forUpdate: false)
            return ListTagsForResourceResponse(tags: try TagRecord.tags(db, resourceArn: stored))
        }
    }
}
