import Foundation

/// What each model costs, per million tokens, in US dollars — the only place prices live.
/// Costs are computed from the token counts each response reports and stored in
/// micro-dollars, so spend figures are sums of real calls, never estimates.
///
/// Update `version` whenever a price changes; every recorded call keeps the version it
/// was priced with.
public enum PriceTable {
    public static let version = "2025-11"

    public struct Price: Sendable, Equatable {
        public let inputPerMillion: Decimal
        public let outputPerMillion: Decimal
    }

    /// Prices by model name prefix (longest prefix wins), from the providers' price pages.
    static let prices: [(prefix: String, price: Price)] = [
        ("claude-opus-4", Price(inputPerMillion: 15, outputPerMillion: 75)),
        ("claude-sonnet-4", Price(inputPerMillion: 3, outputPerMillion: 15)),
        ("claude-3-7-sonnet", Price(inputPerMillion: 3, outputPerMillion: 15)),
        ("claude-3-5-sonnet", Price(inputPerMillion: 3, outputPerMillion: 15)),
        ("claude-haiku-4", Price(inputPerMillion: 1, outputPerMillion: 5)),
        ("claude-3-5-haiku", Price(inputPerMillion: Decimal(string: "0.8")!, outputPerMillion: 4)),
        ("claude-3-haiku", Price(inputPerMillion: Decimal(string: "0.25")!, outputPerMillion: Decimal(string: "1.25")!)),
        ("gpt-4o-mini", Price(inputPerMillion: Decimal(string: "0.15")!, outputPerMillion: Decimal(string: "0.6")!)),
        ("gpt-4o", Price(inputPerMillion: Decimal(string: "2.5")!, outputPerMillion: 10)),
        ("gpt-4.1-nano", Price(inputPerMillion: Decimal(string: "0.1")!, outputPerMillion: Decimal(string: "0.4")!)),
        ("gpt-4.1-mini", Price(inputPerMillion: Decimal(string: "0.4")!, outputPerMillion: Decimal(string: "1.6")!)),
        ("gpt-4.1", Price(inputPerMillion: 2, outputPerMillion: 8)),
        ("gpt-5-nano", Price(inputPerMillion: Decimal(string: "0.05")!, outputPerMillion: Decimal(string: "0.4")!)),
        ("gpt-5-mini", Price(inputPerMillion: Decimal(string: "0.25")!, outputPerMillion: 2)),
        ("gpt-5", Price(inputPerMillion: Decimal(string: "1.25")!, outputPerMillion: 10)),
        ("o4-mini", Price(inputPerMillion: Decimal(string: "1.1")!, outputPerMillion: Decimal(string: "4.4")!)),
        // Embedding models bill input tokens only.
        ("text-embedding-3-small", Price(inputPerMillion: Decimal(string: "0.02")!, outputPerMillion: 0)),
        ("text-embedding-3-large", Price(inputPerMillion: Decimal(string: "0.13")!, outputPerMillion: 0)),
        ("text-embedding-ada-002", Price(inputPerMillion: Decimal(string: "0.1")!, outputPerMillion: 0)),
    ]

    /// The price of a model, or nil when it is not in the table (local models, new models).
    public static func price(for model: String) -> Price? {
        let lower = model.lowercased()
        return prices.filter { lower.hasPrefix($0.prefix) }.max { $0.prefix.count < $1.prefix.count }?.price
    }

    /// Cost in micro-dollars (rounded to the nearest), 0 for unpriced models.
    public static func costMicros(model: String, inputTokens: Int, outputTokens: Int) -> Int {
        guard let price = price(for: model) else { return 0 }
        // Dollars per million tokens are micro-dollars per token.
        var micros = Decimal(inputTokens) * price.inputPerMillion + Decimal(outputTokens) * price.outputPerMillion
        var rounded = Decimal()
        NSDecimalRound(&rounded, &micros, 0, .plain)
        return NSDecimalNumber(decimal: rounded).intValue
    }

    /// "$0.0123" from micro-dollars.
    public static func dollars(_ micros: Int) -> String {
        String(format: "$%.4f", Double(micros) / 1_000_000)
    }
}
