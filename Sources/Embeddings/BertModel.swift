import Foundation

/// A BERT encoder (Hugging Face `BertModel` without the pooler) in float32, with the weights
/// read once from safetensors and never changed afterwards.
///
/// `forward` runs several sequences at once by stacking all their tokens into one matrix:
/// every step except attention works token by token, so the projections become a few large
/// matrix products, and attention runs per sequence and head. There is no padding, so each
/// sequence's result is the same as if it ran alone.
struct BertModel: Sendable {
    /// `y = x · Wᵀ + b`, with W stored `[outputs, inputs]` as in PyTorch.
    struct Linear: Sendable {
        let weight: [Float]
        let bias: [Float]
        let outputs: Int
        let inputs: Int
    }

    struct LayerNorm: Sendable {
        let gamma: [Float]
        let beta: [Float]
    }

    struct Layer: Sendable {
        /// Query, key and value projections stacked into one `[3·hidden, hidden]` matrix.
        let queryKeyValue: Linear
        let attentionOutput: Linear
        let attentionNorm: LayerNorm
        let intermediate: Linear
        let output: Linear
        let outputNorm: LayerNorm
    }

    let configuration: BertConfiguration
    let wordEmbeddings: [Float]
    let positionEmbeddings: [Float]
    /// Row 0 of the token type embeddings: every token is in segment A.
    let tokenTypeEmbedding: [Float]
    let embeddingNorm: LayerNorm
    let layers: [Layer]

    /// Reads the weights named as in a Hugging Face `BertModel` state dict (no `bert.`
    /// prefix), checking every shape against `configuration`.
    init(weights file: SafeTensors, configuration: BertConfiguration) throws {
        let hidden = configuration.hiddenSize
        let inner = configuration.intermediateSize

        func linear(_ prefix: String, outputs: Int, inputs: Int) throws -> Linear {
            Linear(weight: try file.floats(prefix + ".weight", shape: [outputs, inputs]),
                   bias: try file.floats(prefix + ".bias", shape: [outputs]),
                   outputs: outputs, inputs: inputs)
        }
        func norm(_ prefix: String) throws -> LayerNorm {
            LayerNorm(gamma: try file.floats(prefix + ".weight", shape: [hidden]),
                      beta: try file.floats(prefix + ".bias", shape: [hidden]))
        }

        self.configuration = configuration
        wordEmbeddings = try file.floats("embeddings.word_embeddings.weight", shape: [configuration.vocabSize, hidden])
        positionEmbeddings = try file.floats("embeddings.position_embeddings.weight", shape: [configuration.maxPositionEmbeddings, hidden])
        tokenTypeEmbedding = Array(try file.floats("embeddings.token_type_embeddings.weight", shape: [configuration.typeVocabSize, hidden]).prefix(hidden))
        embeddingNorm = try norm("embeddings.LayerNorm")
        layers = try (0..<configuration.numHiddenLayers).map { index in
            let prefix = "encoder.layer.\(index)."
            let query = try linear(prefix + "attention.self.query", outputs: hidden, inputs: hidden)
            let key = try linear(prefix + "attention.self.key", outputs: hidden, inputs: hidden)
            let value = try linear(prefix + "attention.self.value", outputs: hidden, inputs: hidden)
            return Layer(
                queryKeyValue: Linear(weight: query.weight + key.weight + value.weight,
                                      bias: query.bias + key.bias + value.bias,
                                      outputs: 3 * hidden, inputs: hidden),
                attentionOutput: try linear(prefix + "attention.output.dense", outputs: hidden, inputs: hidden),
                attentionNorm: try norm(prefix + "attention.output.LayerNorm"),
                intermediate: try linear(prefix + "intermediate.dense", outputs: inner, inputs: hidden),
                output: try linear(prefix + "output.dense", outputs: hidden, inputs: inner),
                outputNorm: try norm(prefix + "output.LayerNorm")
            )
        }
    }

    /// Mean-pooled last hidden states, one `hidden`-long vector per sequence (not normalised).
    /// Each sequence must be non-empty, at most `maxPositionEmbeddings` long, and hold ids
    /// below the vocabulary size (the tokenizer guarantees all three).
    func meanPooled(_ sequences: [[Int32]]) -> [[Float]] {
        precondition(sequences.allSatisfy { !$0.isEmpty && $0.count <= configuration.maxPositionEmbeddings },
                     "sequences must have 1...\(configuration.maxPositionEmbeddings) tokens")
        guard !sequences.isEmpty else { return [] }
        let batch = Batch(sequences)
        let workspace = Workspace(rows: batch.rows, longest: batch.longest, configuration: configuration)

        embed(sequences, into: workspace.hidden)
        for layer in layers {
            selfAttention(layer, batch: batch, workspace: workspace)
            feedForward(layer, rows: batch.rows, workspace: workspace)
        }
        return batch.segments.map { segment in
            meanOfRows(workspace.hidden + segment.start * configuration.hiddenSize, rows: segment.count)
        }
    }

    // MARK: steps

    /// BertEmbeddings: word + position + token type (segment 0) embeddings, then LayerNorm.
    private func embed(_ sequences: [[Int32]], into hidden: UnsafeMutablePointer<Float>) {
        let width = configuration.hiddenSize
        var row = 0
        wordEmbeddings.withUnsafeBufferPointer { words in
            positionEmbeddings.withUnsafeBufferPointer { positions in
                tokenTypeEmbedding.withUnsafeBufferPointer { tokenType in
                    for ids in sequences {
                        for (position, id) in ids.enumerated() {
                            precondition(id >= 0 && Int(id) < configuration.vocabSize, "token id \(id) is outside the vocabulary")
                            let target = hidden + row * width
                            let word = UnsafeBufferPointer(rebasing: words[Int(id) * width..<(Int(id) + 1) * width])
                            let place = UnsafeBufferPointer(rebasing: positions[position * width..<(position + 1) * width])
                            var column = 0
                            while column < width {
                                target[column] = word[column] + place[column] + tokenType[column]
                                column += 1
                            }
                            row += 1
                        }
                    }
                }
            }
        }
        Kernels.layerNorm(hidden, rows: row, width: width, gamma: embeddingNorm.gamma, beta: embeddingNorm.beta,
                          epsilon: Float(configuration.layerNormEps))
    }

    /// BertAttention: multi-head self-attention within each sequence, then the output
    /// projection, the residual connection and LayerNorm (result in `hidden`).
    private func selfAttention(_ layer: Layer, batch: Batch, workspace: Workspace) {
        let width = configuration.hiddenSize
        let heads = configuration.numAttentionHeads
        let headSize = configuration.headSize
        let qkvWidth = 3 * width
        let rows = batch.rows

        // BertSelfAttention: Q, K and V for every token in one product.
        project(workspace.hidden, rows: rows, through: layer.queryKeyValue, into: workspace.queryKeyValue)

        // Per sequence and head: softmax(Q·Kᵀ / √d) · V, written to that head's columns.
        let scale = 1 / Float(headSize).squareRoot()
        for segment in batch.segments {
            let n = segment.count
            let base = workspace.queryKeyValue + segment.start * qkvWidth
            for head in 0..<heads {
                let query = base + head * headSize
                let key = base + width + head * headSize
                let value = base + 2 * width + head * headSize
                BLAS.multiplyTransposed(m: n, n: n, k: headSize, alpha: scale,
                                        a: query, lda: qkvWidth, b: key, ldb: qkvWidth,
                                        beta: 0, c: workspace.scores, ldc: n)
                Kernels.softmaxRows(workspace.scores, rows: n, width: n)
                BLAS.multiply(m: n, n: headSize, k: n,
                              a: workspace.scores, lda: n, b: value, ldb: qkvWidth,
                              beta: 0, c: workspace.context + segment.start * width + head * headSize, ldc: width)
            }
        }

        // BertSelfOutput: dense(context) + input, then LayerNorm.
        addProjection(of: workspace.context, rows: rows, through: layer.attentionOutput, to: workspace.hidden)
        Kernels.layerNorm(workspace.hidden, rows: rows, width: width, gamma: layer.attentionNorm.gamma,
                          beta: layer.attentionNorm.beta, epsilon: Float(configuration.layerNormEps))
    }

    /// BertIntermediate + BertOutput: dense → GELU → dense, plus the residual, then LayerNorm.
    private func feedForward(_ layer: Layer, rows: Int, workspace: Workspace) {
        project(workspace.hidden, rows: rows, through: layer.intermediate, into: workspace.intermediate)
        Kernels.gelu(workspace.intermediate, count: rows * layer.intermediate.outputs)
        addProjection(of: workspace.intermediate, rows: rows, through: layer.output, to: workspace.hidden)
        Kernels.layerNorm(workspace.hidden, rows: rows, width: configuration.hiddenSize, gamma: layer.outputNorm.gamma,
                          beta: layer.outputNorm.beta, epsilon: Float(configuration.layerNormEps))
    }

    /// `output = input · Wᵀ + b`.
    private func project(_ input: UnsafePointer<Float>, rows: Int, through linear: Linear, into output: UnsafeMutablePointer<Float>) {
        Kernels.fillRows(output, rows: rows, with: linear.bias, width: linear.outputs)
        BLAS.multiplyTransposed(m: rows, n: linear.outputs, k: linear.inputs,
                                a: input, lda: linear.inputs, b: linear.weight, ldb: linear.inputs,
                                beta: 1, c: output, ldc: linear.outputs)
    }

    /// `output += input · Wᵀ + b` (a dense layer followed by a residual connection).
    private func addProjection(of input: UnsafePointer<Float>, rows: Int, through linear: Linear, to output: UnsafeMutablePointer<Float>) {
        Kernels.addToRows(output, rows: rows, row: linear.bias, width: linear.outputs)
        BLAS.multiplyTransposed(m: rows, n: linear.outputs, k: linear.inputs,
                                a: input, lda: linear.inputs, b: linear.weight, ldb: linear.inputs,
                                beta: 1, c: output, ldc: linear.outputs)
    }

    /// Mean pooling over a sequence's token rows (every token counts: there is no padding).
    private func meanOfRows(_ matrix: UnsafePointer<Float>, rows: Int) -> [Float] {
        let width = configuration.hiddenSize
        var mean = [Float](repeating: 0, count: width)
        mean.withUnsafeMutableBufferPointer { total in
            guard let base = total.baseAddress else { return }
            Kernels.addRows(of: matrix, rows: rows, width: width, into: base)
        }
        let scale = 1 / Float(rows)
        return mean.map { $0 * scale }
    }
}

/// Where each sequence's tokens sit in the stacked matrix.
private struct Batch {
    struct Segment {
        let start: Int
        let count: Int
    }

    let segments: [Segment]
    let rows: Int
    let longest: Int

    init(_ sequences: [[Int32]]) {
        var segments: [Segment] = []
        var start = 0
        for ids in sequences {
            segments.append(Segment(start: start, count: ids.count))
            start += ids.count
        }
        self.segments = segments
        rows = start
        longest = sequences.map(\.count).max() ?? 0
    }
}

/// Scratch matrices for one forward pass, allocated together and freed on deinit. Each
/// forward pass has its own, so one model can serve concurrent callers.
private final class Workspace {
    /// Hidden states, `rows × hidden`.
    let hidden: UnsafeMutablePointer<Float>
    /// Q | K | V per token, `rows × 3·hidden`.
    let queryKeyValue: UnsafeMutablePointer<Float>
    /// Attention output before its projection, `rows × hidden`.
    let context: UnsafeMutablePointer<Float>
    /// Feed-forward activations, `rows × intermediate`.
    let intermediate: UnsafeMutablePointer<Float>
    /// Attention scores of one head of one sequence, `longest × longest`.
    let scores: UnsafeMutablePointer<Float>
    private let storage: UnsafeMutablePointer<Float>

    init(rows: Int, longest: Int, configuration: BertConfiguration) {
        let hiddenCount = rows * configuration.hiddenSize
        let sizes = [hiddenCount, 3 * hiddenCount, hiddenCount, rows * configuration.intermediateSize, longest * longest]
        storage = .allocate(capacity: sizes.reduce(0, +))
        storage.initialize(repeating: 0, count: sizes.reduce(0, +))
        var offset = 0
        var pointers: [UnsafeMutablePointer<Float>] = []
        for size in sizes {
            pointers.append(storage + offset)
            offset += size
        }
        hidden = pointers[0]
        queryKeyValue = pointers[1]
        context = pointers[2]
        intermediate = pointers[3]
        scores = pointers[4]
    }

    deinit {
        storage.deallocate()
    }
}
