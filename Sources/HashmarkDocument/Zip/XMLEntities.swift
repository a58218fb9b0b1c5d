/// Character references and the named entities an XML part may use without declaring them.
enum XMLEntities {
    /// The five XML entities and the XHTML ones common in e-books (no DTD is ever read).
    static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'",
        "nbsp": "\u{A0}", "shy": "\u{AD}", "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}",
        "zwnj": "\u{200C}", "zwj": "\u{200D}", "ndash": "\u{2013}", "mdash": "\u{2014}",
        "lsquo": "\u{2018}", "rsquo": "\u{2019}", "sbquo": "\u{201A}", "ldquo": "\u{201C}", "rdquo": "\u{201D}",
        "bdquo": "\u{201E}", "hellip": "\u{2026}", "laquo": "\u{AB}", "raquo": "\u{BB}", "lsaquo": "\u{2039}",
        "rsaquo": "\u{203A}", "copy": "\u{A9}", "reg": "\u{AE}", "trade": "\u{2122}", "sect": "\u{A7}",
        "para": "\u{B6}", "middot": "\u{B7}", "bull": "\u{2022}", "dagger": "\u{2020}", "Dagger": "\u{2021}",
        "deg": "\u{B0}", "times": "\u{D7}", "divide": "\u{F7}", "frac12": "\u{BD}", "frac14": "\u{BC}",
        "frac34": "\u{BE}", "pound": "\u{A3}", "euro": "\u{20AC}", "cent": "\u{A2}", "yen": "\u{A5}",
        "iexcl": "\u{A1}", "iquest": "\u{BF}", "prime": "\u{2032}", "Prime": "\u{2033}",
        "agrave": "à", "aacute": "á", "acirc": "â", "auml": "ä", "atilde": "ã", "aring": "å", "aelig": "æ",
        "ccedil": "ç", "egrave": "è", "eacute": "é", "ecirc": "ê", "euml": "ë", "igrave": "ì", "iacute": "í",
        "icirc": "î", "iuml": "ï", "ntilde": "ñ", "ograve": "ò", "oacute": "ó", "ocirc": "ô", "ouml": "ö",
        "otilde": "õ", "oslash": "ø", "ugrave": "ù", "uacute": "ú", "ucirc": "û", "uuml": "ü", "yacute": "ý",
        "yuml": "ÿ", "szlig": "ß", "oelig": "œ", "Agrave": "À", "Aacute": "Á", "Acirc": "Â", "Auml": "Ä",
        "Ccedil": "Ç", "Egrave": "È", "Eacute": "É", "Ecirc": "Ê", "Ouml": "Ö", "Uuml": "Ü", "OElig": "Œ",
    ]

    /// The scalar for the reference body between `&` and `;` (`amp`, `#233`, `#xE9`), nil if unknown.
    static func scalar(for body: ArraySlice<UInt8>) -> Unicode.Scalar? {
        let s = String(decoding: body, as: UTF8.self)
        guard s.hasPrefix("#") else { return named[s] }
        let digits = s.dropFirst()
        let value = digits.hasPrefix("x") || digits.hasPrefix("X")
            ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
        return value.flatMap(Unicode.Scalar.init)
    }
}
