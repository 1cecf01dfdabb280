/// One page of a list, with what is needed to link to the others.
public struct Page<Item: Sendable & Codable>: Sendable, Codable {
    public var items: [Item]
    public var total: Int
    public var page: Int
    public var size: Int

    public init(items: [Item], total: Int, page: Int, size: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.size = size
    }

    public var pageCount: Int { max(1, (total + size - 1) / size) }
    public var hasNext: Bool { page < pageCount }
    public var hasPrevious: Bool { page > 1 }
}

/// Page number and size, validated: pages start at 1, sizes are 1...maxSize.
public struct PageRequest: Sendable, Equatable {
    public static let defaultSize = 25
    public static let maxSize = 200

    public let page: Int
    public let size: Int

    public init(page: Int = 1, size: Int = PageRequest.defaultSize) {
        self.page = max(1, page)
        self.size = min(max(1, size), PageRequest.maxSize)
    }

    public var offset: Int { (page - 1) * size }
}

/// A value of a facet and how many items have it.
public struct FacetValue: Sendable, Codable, Equatable {
    public var value: String
    public var count: Int

    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }
}
