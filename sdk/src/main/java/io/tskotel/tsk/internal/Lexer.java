package io.tskotel.tsk.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns TSK text into tokens. Comments and blank space vanish here; line ends stay as {@link
 * TokenType#NEWLINE} tokens because they separate entries. Every malformed lexeme is reported and becomes an
 * {@link TokenType#ERROR} token, so the parser neither stops nor reports it twice.
 */
final class Lexer {
  private static final Pattern INT = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern FLOAT =
      Pattern.compile("[+-]?[0-9]+(\\.[0-9]+([eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)");
  private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private final String text;
  private final Diagnostics diagnostics;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private int line = 1;
  private int lineStart;
  private boolean lineHasToken;

  Lexer(String text, Diagnostics diagnostics) {
    this.text = text;
    this.diagnostics = diagnostics;
  }

  List<Token> lex() {
    if (text.startsWith("\uFEFF")) {
      pos = 1;
      lineStart = 1;
    }
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        if (lineHasToken) {
          add(TokenType.NEWLINE, "\n", null, column());
        }
        pos++;
        newLine(pos);
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        pos++;
      } else if (c == '#' || (c == '/' && peek(1) == '/')) {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        lexToken(c);
      }
    }
    if (lineHasToken) {
      add(TokenType.NEWLINE, "", null, column());
    }
    tokens.add(new Token(TokenType.EOF, "", null, line, column(), !lineHasToken));
    return tokens;
  }

  private void lexToken(char c) {
    int col = column();
    switch (c) {
      case '[':
        punct(TokenType.LBRACKET, col);
        return;
      case ']':
        punct(TokenType.RBRACKET, col);
        return;
      case '{':
        punct(TokenType.LBRACE, col);
        return;
      case '}':
        punct(TokenType.RBRACE, col);
        return;
      case '(':
        punct(TokenType.LPAREN, col);
        return;
      case ')':
        punct(TokenType.RPAREN, col);
        return;
      case ':':
        punct(TokenType.COLON, col);
        return;
      case '=':
        punct(TokenType.EQUALS, col);
        return;
      case ',':
        punct(TokenType.COMMA, col);
        return;
      case '>':
        punct(TokenType.GT, col);
        return;
      case '<':
        punct(TokenType.LT, col);
        return;
      case '"':
      case '\'':
        if (peek(1) == c && peek(2) == c) {
          lexTripleQuoted(c, col);
        } else {
          lexQuoted(c, col);
        }
        return;
      case '$':
        lexSigil(TokenType.VAR, "a variable name after '$'", col);
        return;
      case '@':
        lexSigil(TokenType.OPERATOR, "an operator name after '@'", col);
        return;
      default:
        break;
    }
    if (isDigit(c) || ((c == '-' || c == '+') && isDigit(peek(1)))) {
      lexNumber(col);
    } else if (isIdentStart(c)) {
      int start = pos;
      while (pos < text.length() && isIdentPart(text.charAt(pos))) {
        pos++;
      }
      String ident = text.substring(start, pos);
      add(TokenType.IDENT, ident, ident, col);
    } else {
      int start = pos;
      while (pos < text.length() && !isBoundary(text.charAt(pos))) {
        pos++;
      }
      if (pos == start) {
        pos++;
      }
      String junk = text.substring(start, pos);
      diagnostics.error(line, col, "unexpected '" + junk + "' (text values must be quoted)");
      add(TokenType.ERROR, junk, null, col);
    }
  }

  private void punct(TokenType type, int col) {
    add(type, String.valueOf(text.charAt(pos)), null, col);
    pos++;
  }

  private void lexSigil(TokenType type, String expected, int col) {
    int start = pos;
    pos++;
    if (pos < text.length() && isIdentStart(text.charAt(pos))) {
      while (pos < text.length() && isNamePart(text.charAt(pos))) {
        pos++;
      }
      add(type, text.substring(start, pos), text.substring(start + 1, pos), col);
    } else {
      diagnostics.error(line, col, "expected " + expected);
      add(TokenType.ERROR, text.substring(start, pos), null, col);
    }
  }

  private void lexNumber(int col) {
    int start = pos;
    pos++;
    while (pos < text.length() && (isIdentPart(text.charAt(pos)) || text.charAt(pos) == '+')) {
      pos++;
    }
    String literal = text.substring(start, pos);
    if (INT.matcher(literal).matches()) {
      BigInteger value = new BigInteger(literal.startsWith("+") ? literal.substring(1) : literal);
      if (value.compareTo(INT_MIN) >= 0 && value.compareTo(INT_MAX) <= 0) {
        add(TokenType.INT, literal, value.intValue(), col);
      } else if (value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
        add(TokenType.INT, literal, value.longValue(), col);
      } else {
        diagnostics.error(line, col, "integer " + literal + " is out of range (expected: a 64-bit integer)");
        add(TokenType.ERROR, literal, null, col);
      }
    } else if (FLOAT.matcher(literal).matches()) {
      double value = Double.parseDouble(literal);
      if (Double.isInfinite(value)) {
        diagnostics.error(line, col, "float " + literal + " is out of range");
        add(TokenType.ERROR, literal, null, col);
      } else {
        add(TokenType.FLOAT, literal, value, col);
      }
    } else {
      String hint =
          Durations.looksLike(literal)
              ? " (durations are strings: \"" + literal + "\")"
              : " (text values must be quoted)";
      diagnostics.error(line, col, "invalid number '" + literal + "'" + hint);
      add(TokenType.ERROR, literal, null, col);
    }
  }

  private void lexQuoted(char quote, int col) {
    int start = pos;
    pos++;
    StringBuilder value = new StringBuilder();
    boolean bad = false;
    while (true) {
      if (pos >= text.length() || text.charAt(pos) == '\n') {
        diagnostics.error(
            line,
            col,
            "unterminated string: a " + quote + "-quoted string must close on its line"
                + " (use " + quote + quote + quote + " for multi-line text)");
        add(TokenType.ERROR, text.substring(start, pos), null, col);
        return;
      }
      char c = text.charAt(pos);
      if (c == quote) {
        pos++;
        break;
      }
      if (c == '\\') {
        int escapeCol = column();
        char e = peek(1);
        switch (e) {
          case 'n':
            value.append('\n');
            pos += 2;
            break;
          case 't':
            value.append('\t');
            pos += 2;
            break;
          case 'r':
            value.append('\r');
            pos += 2;
            break;
          case '"':
          case '\'':
          case '\\':
            value.append(e);
            pos += 2;
            break;
          case 'u':
            String hex = pos + 6 <= text.length() ? text.substring(pos + 2, pos + 6) : "";
            if (hex.length() == 4 && hex.chars().allMatch(Lexer::isHex)) {
              value.append((char) Integer.parseInt(hex, 16));
              pos += 6;
            } else {
              diagnostics.error(line, escapeCol, "invalid unicode escape: expected \\u and 4 hex digits");
              bad = true;
              pos += 2;
            }
            break;
          default:
            if (e == '\n' || e == '\0') {
              pos++; // the unterminated-string branch reports it
              continue;
            }
            diagnostics.error(
                line,
                escapeCol,
                "unknown escape '\\" + e + "' (known: \\n \\t \\r \\\" \\' \\\\ \\uXXXX)");
            bad = true;
            pos += 2;
            break;
        }
        continue;
      }
      value.append(c);
      pos++;
    }
    String lexeme = text.substring(start, pos);
    if (bad) {
      add(TokenType.ERROR, lexeme, null, col);
    } else {
      add(TokenType.STRING, lexeme, value.toString(), col);
    }
  }

  /** Triple-quoted text is kept verbatim: no escapes, so code bodies keep their own backslashes. */
  private void lexTripleQuoted(char quote, int col) {
    String delimiter = String.valueOf(quote).repeat(3);
    int startLine = line;
    int start = pos;
    int end = text.indexOf(delimiter, pos + 3);
    boolean first = !lineHasToken;
    if (end < 0) {
      diagnostics.error(
          startLine, col, "unterminated " + delimiter + " string: no closing " + delimiter + " before end of file");
      advanceTo(text.length());
      tokens.add(new Token(TokenType.ERROR, text.substring(start), null, startLine, col, first));
      lineHasToken = true;
      return;
    }
    String content = text.substring(pos + 3, end);
    if (content.startsWith("\n")) {
      content = content.substring(1);
    }
    advanceTo(end + 3);
    tokens.add(new Token(TokenType.STRING, text.substring(start, end + 3), content, startLine, col, first));
    lineHasToken = true;
  }

  /** Moves to {@code target}, counting the line ends crossed by a multi-line token. */
  private void advanceTo(int target) {
    while (pos < target) {
      if (text.charAt(pos) == '\n') {
        newLine(pos + 1);
      }
      pos++;
    }
  }

  private void newLine(int start) {
    line++;
    lineStart = start;
    lineHasToken = false;
  }

  private void add(TokenType type, String lexeme, @Nullable Object value, int col) {
    tokens.add(new Token(type, lexeme, value, line, col, !lineHasToken));
    lineHasToken = type != TokenType.NEWLINE;
  }

  private int column() {
    return pos - lineStart + 1;
  }

  private char peek(int ahead) {
    int i = pos + ahead;
    return i < text.length() ? text.charAt(i) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(int c) {
    return isDigit((char) c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNamePart(char c) {
    return isIdentStart(c) || isDigit(c);
  }

  private static boolean isIdentPart(char c) {
    return isNamePart(c) || c == '.' || c == '-';
  }

  private static boolean isBoundary(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || "[]{}():=,<>\"'#".indexOf(c) >= 0;
  }
}
