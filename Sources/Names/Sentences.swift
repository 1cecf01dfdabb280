import SpeakerCore
/// Splits prose into sentences at ". ", "! ", "? " and "。" — but not after an initial
/// ("A. Okafor") or a title or company abbreviation ("Dr. Lee", "Acme Inc. and").
public enum Sentences {
    static let abbreviations: Set<String> = ["dr", "prof", "mr", "mrs", "ms", "mx", "st", "jr", "sr", "inc", "ltd", "co", "corp", "vs",
                                             "e.g", "i.e", "etc", "no", "nr", "h.e", "hon", "rev", "fr", "gen", "col", "capt", "lt", "sen", "rep",
                                             "dott", "ing", "mme", "mlle", "sra", "sr", "dra"]

    public static func split(_ text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            current.append(character)
            let atEnd = index + 1 >= characters.count
            let nextIsSpace = !atEnd && characters[index + 1].isWhitespace
            if character == "。" || ((character == "." || character == "!" || character == "?") && (atEnd || nextIsSpace)) {
                let lastWord = current.dropLast().split(whereSeparator: { $0.isWhitespace || $0 == "(" }).last.map(String.init) ?? ""
                let isInitial = lastWord.count == 1 && lastWord.first?.isUppercase == true
                let isAbbreviation = character == "." && abbreviations.contains(lastWord.lowercased())
                if !isInitial && !isAbbreviation {
                    let sentence = current.trimmingWhitespace()
                    if !sentence.isEmpty { sentences.append(sentence) }
                    current = ""
                }
            }
            index += 1
        }
        let rest = current.trimmingWhitespace()
        if !rest.isEmpty { sentences.append(rest) }
        return sentences
    }
}
