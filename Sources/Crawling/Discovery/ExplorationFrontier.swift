import Foundation
import SpeakerCore

/// The order in which discovery reads a site's pages, within a budget.
///
/// A site is explored from its start page outwards, link by link, because event pages are
/// not always one click from the start: a speaker index leads to profiles that lead to
/// talks; a talk links to its other-language version; an archive pages through years.
/// The frontier picks, each time, the most promising unread page:
/// - the start page and "next page" links first (a listing's pagination),
/// - then links in page content before links in navigation, and pages under the start
///   page's folder before the rest of the host, fewer clicks before more;
/// - the first few pages of every URL shape early, so every kind of page is sampled
///   before any one kind uses up the budget;
/// - a kind of page stops being read once enough of it has been read and it leads to
///   nothing new (talk pages of a big programme: the rest are fetched as events later,
///   without reading them for links).
public struct ExplorationFrontier: Sendable {
    public struct Item: Sendable, Equatable {
        public var url: URL
        public var key: String
        public var shape: String
        public var depth: Int
        /// 0: start and pagination; 1: content link in scope; 2: navigation link in scope, or
        /// content link elsewhere on the host; 3: navigation link elsewhere.
        public var tier: Int
        var sequence: Int
    }

    public var maxDepth = 6
    /// Pages of one shape read before the shape must prove it leads somewhere.
    public var sampleSize = 3
    public var shapeCap = 30
    let scope: String
    private(set) var queue: [Item] = []
    private(set) var seen = Set<String>()
    private(set) var readByShape: [String: Int] = [:]
    /// New URLs found on the pages of each shape, for deciding which shapes lead somewhere.
    private(set) var yieldByShape: [String: Int] = [:]
    private var sequence = 0

    public init(start: URL) {
        let path = start.path.isEmpty ? "/" : start.path
        scope = path.hasSuffix("/") ? path : String(path[...(path.lastIndex(of: "/") ?? path.startIndex)])
        add(start, depth: 0, tier: 0)
    }

    public var isEmpty: Bool { queue.isEmpty }
    public var queued: Int { queue.count }

    /// Whether the URL was queued or read before.
    public func knows(_ key: String) -> Bool { seen.contains(key) }

    /// Queues a URL once; returns whether it was new.
    @discardableResult
    public mutating func add(_ url: URL, depth: Int, tier: Int) -> Bool {
        guard let key = URLNormalizer.normalized(url.absoluteString), depth <= maxDepth, seen.insert(key).inserted else { return false }
        sequence += 1
        queue.append(Item(url: url, key: key, shape: URLShape.of(url), depth: depth, tier: tier, sequence: sequence))
        return true
    }

    /// Notes a URL as known without queueing it (a page reached by a redirect); returns
    /// whether it was new.
    @discardableResult
    public mutating func markSeen(_ url: URL) -> Bool {
        guard let key = URLNormalizer.normalized(url.absoluteString) else { return false }
        return seen.insert(key).inserted
    }

    /// Queues a page's links; returns how many were new.
    @discardableResult
    public mutating func add(links: [PageLink], from page: Item) -> Int {
        var fresh = 0
        for link in links {
            let inScope = link.url.path.hasPrefix(scope)
            let tier: Int
            if link.isNextPage && page.tier == 0 {
                tier = 0
            } else if !link.inChrome {
                tier = inScope ? 1 : 2
            } else {
                tier = inScope ? 2 : 3
            }
            if add(link.url, depth: page.depth + 1, tier: tier) { fresh += 1 }
        }
        yieldByShape[page.shape, default: 0] += fresh
        return fresh
    }

    /// Whether pages of this shape are still worth reading for their links.
    public func worthReading(_ shape: String) -> Bool {
        let read = readByShape[shape, default: 0]
        guard read >= shapeCap else { return true }
        // Leads somewhere: on average one new URL every three pages.
        return Double(yieldByShape[shape, default: 0]) >= Double(read) / 3
    }

    func priority(_ item: Item) -> Double {
        var value = Double(item.tier) * 1.0 + Double(item.depth) * 0.7
        if readByShape[item.shape, default: 0] >= sampleSize && item.tier > 0 { value += 1.5 }
        return value
    }

    /// Takes up to `count` pages to read next, best first; drops pages of shapes no longer
    /// worth reading (they stay known, as links).
    public mutating func next(_ count: Int) -> [Item] {
        var batch: [Item] = []
        while batch.count < count, !queue.isEmpty {
            var bestIndex = -1
            var best = Double.infinity
            var bestSequence = Int.max
            var index = 0
            while index < queue.count {
                let item = queue[index]
                if !worthReading(item.shape) {
                    queue.swapAt(index, queue.count - 1)
                    queue.removeLast()
                    continue
                }
                let value = priority(item)
                if value < best || (value == best && item.sequence < bestSequence) {
                    best = value
                    bestSequence = item.sequence
                    bestIndex = index
                }
                index += 1
            }
            guard bestIndex >= 0 else { break }
            batch.append(queue[bestIndex])
            // A page taken counts towards its shape's sample straight away, so one batch
            // does not take ten pages of one kind.
            readByShape[queue[bestIndex].shape, default: 0] += 1
            queue.swapAt(bestIndex, queue.count - 1)
            queue.removeLast()
        }
        return batch
    }

    /// Drops queued pages (the budget is spent); returns their URLs, which stay known.
    public mutating func drain() -> [Item] {
        defer { queue.removeAll() }
        return queue
    }
}
