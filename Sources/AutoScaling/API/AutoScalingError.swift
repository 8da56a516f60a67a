import AWSProtocol

/// Application Auto Scaling's exceptions, in the `{"__type","message"}` shape of
/// ``AWSProtocol/AWSServiceError``.
enum AutoScalingError {
    static func validation(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "ValidationException", message: message)
    }

    static func objectNotFound(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "ObjectNotFoundException", message: message)
    }

    /// The tag operations' "no such resource".
    static func resourceNotFound(_ arn: String) -> AWSServiceError {
        AWSServiceError(type: "ResourceNotFoundException", message: "No scalable target found for ResourceARN: \(arn)")
    }

    static func limitExceeded(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "LimitExceededException", message: message)
    }

    static func tooManyTags(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "TooManyTagsException", message: message)
    }

    static func concurrentUpdate(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "ConcurrentUpdateException", message: message)
    }

    static func internalService(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "InternalServiceException", message: message, status: 500)
    }

    /// A store failure as the API reports it: a writer that lost the lock race is a
    /// ConcurrentUpdateException (the client retries), anything else an internal fault.
    static func from(_ error: any Error) -> AWSServiceError {
        if let error = error as? AWSServiceError { return error }
        if case AutoScalingStoreError.write(_, busy: true)? = error as? AutoScalingStoreError {
            return concurrentUpdate("Concurrent updates are being made to the same scalable target; retry the request.")
        }
        return internalService("\(error)")
    }

    /// ObjectNotFoundException for a target that is not registered, in AWS's words.
    static func noTarget(_ resourceID: String) -> AWSServiceError {
        objectNotFound("No scalable target registered for service namespace: ecs, resource ID: \(resourceID), "
            + "scalable dimension: \(ScalableTargetKey.dimension)")
    }
}
