package io.tskotel.tsk.internal;

import io.tskotel.tsk.TskParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Recursive-descent parser for TSK. It never stops at the first error: each error is recorded, the parser
 * resynchronizes at the next entry and goes on, and {@link #parse} throws one {@link TskParseException} with
 * all of them. Every line either parses or is covered by a reported error.
 */
public final class Parser {
  private final List<Token> tokens;
  private final Diagnostics diagnostics;
  private final Operators operators;
  private final int[] lineIndent;
  private final Tree tree;
  private int index;
  /**
   * Deeper nesting (arrays, objects, blocks and operator calls together) is an error: the parser recurses
   * once per level, so without a bound a hostile or broken file ends in a StackOverflowError.
   */
  static final int MAX_NESTING = 100;

  /** Brackets, braces and parentheses open in the entry being parsed; recovery skips past them. */
  private int depth;

  private Parser(List<Token> tokens, Diagnostics diagnostics, Operators operators) {
    this.tokens = tokens;
    this.diagnostics = diagnostics;
    this.operators = operators;
    this.tree = new Tree(diagnostics);
    int lastLine = tokens.get(tokens.size() - 1).line();
    this.lineIndent = new int[lastLine + 2];
    for (Token token : tokens) {
      if (token.firstOnLine() && token.type() != TokenType.EOF) {
        lineIndent[token.line()] = token.column();
      }
    }
  }

  /**
   * Parses {@code text}.
   *
   * @throws TskParseException with every error found
   */
  public static Document parse(
      String sourceName, String text, Map<String, String> environment, Clock clock) {
    String normalized = text.replace("\r\n", "\n");
    Diagnostics diagnostics = new Diagnostics(sourceName, normalized);
    List<Token> tokens = new Lexer(normalized, diagnostics).lex();
    Parser parser = new Parser(tokens, diagnostics, new Operators(environment, clock, diagnostics));
    parser.parseDocument();
    if (diagnostics.hasErrors()) {
      throw new TskParseException(diagnostics.errors());
    }
    return parser.tree.freeze();
  }

  // ---- statements ----

  private void parseDocument() {
    Table current = tree.root();
    String currentPath = "";
    while (true) {
      skipNewlines();
      Token token = peek();
      if (token.type() == TokenType.EOF) {
        return;
      }
      int base = depth;
      try {
        if (token.type() == TokenType.LBRACKET) {
          Section section = parseHeader();
          current = section.table;
          currentPath = section.path;
        } else if (token.type() == TokenType.RBRACE || token.type() == TokenType.LT) {
          next();
          diagnostics.error(token, "unexpected " + token.describe() + ": no block is open");
          throw skip();
        } else {
          parseEntry(current, currentPath);
          expectEntryEnd(null, null, false);
        }
      } catch (Sync sync) {
        recover(sync, base);
      }
      ensureProgress(token);
    }
  }

  private static final class Section {
    final Table table;
    final String path;

    Section(Table table, String path) {
      this.table = table;
      this.path = path;
    }
  }

  private Section parseHeader() {
    Token open = next();
    if (!open.firstOnLine()) {
      diagnostics.error(open, "a section header must start its line");
      throw skip();
    }
    Token name = peek();
    if (name.type() == TokenType.ERROR) {
      throw silentSkip();
    }
    if (name.type() != TokenType.IDENT) {
      diagnostics.error(name, "expected a section name after '[', found " + name.describe());
      throw skip();
    }
    next();
    Token close = peek();
    if (close.type() != TokenType.RBRACKET) {
      diagnostics.error(
          close, "expected ']' to close the section header [" + name.text() + ", found " + close.describe());
      throw skip();
    }
    next();
    Token end = peek();
    if (end.type() != TokenType.NEWLINE && end.type() != TokenType.EOF) {
      diagnostics.error(
          end, "unexpected " + end.describe() + " after the section header [" + name.text() + "]");
      throw skip();
    }
    next();
    List<String> segments = splitKey(name);
    // On a bad header the following keys still get checked, in a table nothing else can see.
    Section detached = new Section(new Table(Table.Kind.SECTION, name.position()), name.text());
    if (segments == null) {
      return detached;
    }
    Table table = tree.declareSection(name, segments);
    return table == null ? detached : new Section(table, name.text());
  }

  /** {@code key: value}, {@code key = value}, {@code key { ... }}, {@code key > ... <} or {@code $var: value}. */
  private void parseEntry(Table table, @Nullable String tablePath) {
    Token key = next();
    if (key.type() == TokenType.ERROR) {
      throw silentSkip();
    }
    if (key.type() == TokenType.VAR) {
      Token assign = next();
      if (assign.type() != TokenType.COLON && assign.type() != TokenType.EQUALS) {
        unreadLineEnd(assign);
        diagnostics.error(
            assign, "expected ':' or '=' after variable " + key.text() + ", found " + assign.describe());
        throw skip();
      }
      Object value = parseValue(null);
      tree.defineVariable(key, value);
      return;
    }
    if (key.type() != TokenType.IDENT) {
      diagnostics.error(key, "expected a key, a $variable or a [section] header, found " + key.describe());
      throw skip();
    }
    List<String> segments = splitKey(key);
    String path = segments == null || tablePath == null ? null : Tree.join(tablePath, key.text());
    Token op = next();
    switch (op.type()) {
      case COLON:
      case EQUALS:
        {
          Object value = parseValue(path);
          if (segments != null) {
            tree.define(table, tablePath, segments, key, value);
          }
          return;
        }
      case LBRACE:
      case GT:
        {
          Table block = new Table(Table.Kind.BLOCK, key.position());
          if (segments != null) {
            tree.define(table, tablePath, segments, key, block);
          }
          parseBody(block, path, op, "block '" + key.text() + " " + op.text() + "'");
          return;
        }
      case ERROR:
        throw silentSkip();
      default:
        unreadLineEnd(op);
        diagnostics.error(
            op,
            "expected ':' or '=' after key '" + key.text() + "' (or '{' / '>' to open a block), found "
                + op.describe());
        throw skip();
    }
  }

  /**
   * The entries of a block or inline object up to its closing token. A body whose opener ends its line is
   * multi-line: its close must start a line at the opener line's indentation. Otherwise it must close on
   * the same line.
   */
  private void parseBody(Table table, @Nullable String path, Token opener, String what) {
    TokenType closeType = opener.type() == TokenType.GT ? TokenType.LT : TokenType.RBRACE;
    String closeText = closeType == TokenType.LT ? "<" : "}";
    boolean multiline = peek().type() == TokenType.NEWLINE;
    int indent = lineIndent[opener.line()];
    enter(opener);
    while (true) {
      if (multiline) {
        skipNewlines();
      }
      Token token = peek();
      if (token.type() == TokenType.EOF) {
        diagnostics.error(opener, "unclosed " + what + ": expected '" + closeText + "' before end of file");
        throw resume();
      }
      if (token.type() == TokenType.NEWLINE) {
        diagnostics.error(
            opener,
            "unclosed " + what + ": a '" + opener.text()
                + "' followed by entries on its line must close on that line");
        throw resume();
      }
      if (token.type() == TokenType.RBRACE || token.type() == TokenType.LT) {
        next();
        if (token.type() != closeType) {
          diagnostics.error(
              token,
              "'" + token.text() + "' does not close " + what + " opened at " + Tree.at(opener.position())
                  + " (expected '" + closeText + "')");
        } else if (multiline && (!token.firstOnLine() || token.column() != indent)) {
          diagnostics.error(
              token,
              "'" + closeText + "' closing " + what + " must start its own line at column " + indent
                  + ", lined up with line " + opener.line() + " that opened it");
        }
        depth--;
        return;
      }
      if (looksLikeHeader(index)) {
        diagnostics.error(
            opener,
            "unclosed " + what + ": expected '" + closeText + "' before the section header at line "
                + token.line());
        throw resume();
      }
      if (!multiline) {
        parseEntry(table, path);
        expectEntryEnd(closeType, opener, false);
        continue;
      }
      int base = depth;
      try {
        parseEntry(table, path);
        expectEntryEnd(closeType, opener, true);
      } catch (Sync sync) {
        recover(sync, base);
      }
      ensureProgress(token);
    }
  }

  /** After an entry: a line end, a comma, or (in a body) the close, which the body loop consumes. */
  private void expectEntryEnd(@Nullable TokenType closeType, @Nullable Token opener, boolean multiline) {
    Token token = peek();
    switch (token.type()) {
      case NEWLINE:
        if (closeType != null && !multiline) {
          return; // parseBody reports the unclosed one-line body
        }
        next();
        return;
      case COMMA:
        next();
        return;
      case EOF:
        return;
      case RBRACE:
      case LT:
        if (closeType != null) {
          return;
        }
        break;
      case ERROR:
        throw silentSkip();
      default:
        break;
    }
    diagnostics.error(token, "expected ',' or end of line after the entry, found " + token.describe());
    throw skip();
  }

  // ---- values ----

  /**
   * Parses one value.
   *
   * @param path dotted path of the key this is the whole value of, or null (array element, argument, ...)
   */
  private @Nullable Object parseValue(@Nullable String path) {
    Token token = next();
    switch (token.type()) {
      case STRING:
      case INT:
      case FLOAT:
        return token.value();
      case IDENT:
        switch (token.text()) {
          case "true":
            return Boolean.TRUE;
          case "false":
            return Boolean.FALSE;
          case "null":
            return null;
          default:
            diagnostics.error(
                token,
                "unquoted text '" + token.text() + "': strings must be quoted (\"" + token.text() + "\")");
            throw skip();
        }
      case VAR:
        return tree.variable(token);
      case LBRACKET:
        {
          List<Object> items = new ArrayList<>();
          for (Arg arg : parseList(token, TokenType.RBRACKET)) {
            items.add(arg.value());
          }
          return items;
        }
      case LBRACE:
        {
          Table object = new Table(Table.Kind.BLOCK, token.position());
          parseBody(object, path, token, "'{'");
          return object;
        }
      case OPERATOR:
        {
          Token paren = peek();
          if (paren.type() != TokenType.LPAREN) {
            diagnostics.error(paren, "expected '(' after " + token.text() + ", found " + paren.describe());
            throw skip();
          }
          next();
          List<Arg> args = parseList(paren, TokenType.RPAREN);
          return operators.apply(token, args, path);
        }
      case ERROR:
        throw silentSkip();
      default:
        unreadLineEnd(token);
        diagnostics.error(token, "expected a value, found " + token.describe());
        throw skip();
    }
  }

  /** Comma-separated values up to {@code closeType}; may span lines and end with a comma. */
  private List<Arg> parseList(Token open, TokenType closeType) {
    String closeText = closeType == TokenType.RBRACKET ? "]" : ")";
    enter(open);
    List<Arg> items = new ArrayList<>();
    while (true) {
      skipListNewlines(open, closeText);
      if (peek().type() == closeType) {
        next();
        depth--;
        return items;
      }
      Token first = peek();
      items.add(new Arg(parseValue(null), first));
      skipListNewlines(open, closeText);
      Token token = peek();
      if (token.type() == TokenType.COMMA) {
        next();
      } else if (token.type() == closeType) {
        next();
        depth--;
        return items;
      } else if (token.type() == TokenType.ERROR) {
        throw silentSkip();
      } else {
        diagnostics.error(
            token,
            "expected ',' or '" + closeText + "' after an element, found " + token.describe()
                + " (the '" + open.text() + "' opened at " + Tree.at(open.position()) + ")");
        throw skip();
      }
    }
  }

  /** Counts one more open bracket, brace or parenthesis; past {@link #MAX_NESTING} the entry is an error. */
  private void enter(Token opener) {
    depth++;
    if (depth > MAX_NESTING) {
      diagnostics.error(opener, "nested more than " + MAX_NESTING + " levels deep");
      throw skip();
    }
  }

  /**
   * Skips line ends inside a list. A line that starts like an entry, a header or a block close means the
   * list was never closed: report that at its opener instead of swallowing the lines that follow.
   */
  private void skipListNewlines(Token open, String closeText) {
    boolean crossed = false;
    while (peek().type() == TokenType.NEWLINE) {
      next();
      crossed = true;
    }
    Token token = peek();
    if (token.type() == TokenType.EOF) {
      diagnostics.error(
          open, "unclosed '" + open.text() + "': expected '" + closeText + "' before end of file");
      throw resume();
    }
    if (crossed && startsStatement(index)) {
      diagnostics.error(
          open,
          "unclosed '" + open.text() + "': expected '" + closeText + "' before line " + token.line());
      throw resume();
    }
  }

  // ---- keys ----

  /** The function name a {@code NAME_fujsen} key declares. */
  public static String fujsenName(String key) {
    return key.substring(0, key.length() - "_fujsen".length());
  }

  /** Splits a dotted key; null (after reporting) when a part is empty or does not start a name. */
  private @Nullable List<String> splitKey(Token key) {
    List<String> segments = Arrays.asList(key.text().split("\\.", -1));
    for (String segment : segments) {
      if (segment.isEmpty() || !Lexer.isIdentStart(segment.charAt(0))) {
        diagnostics.error(
            key,
            "invalid key '" + key.text() + "': each dot-separated part must start with a letter or '_'");
        return null;
      }
    }
    return segments;
  }

  // ---- recovery ----

  /** Unwinds to the innermost entry loop; {@code resume} means the current token starts the next entry. */
  private static final class Sync extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean resume;

    Sync(boolean resume) {
      super(null, null, false, false);
      this.resume = resume;
    }
  }

  private static Sync skip() {
    return new Sync(false);
  }

  /** For an error the lexer already reported. */
  private static Sync silentSkip() {
    return new Sync(false);
  }

  private static Sync resume() {
    return new Sync(true);
  }

  private void recover(Sync sync, int base) {
    int open = depth - base;
    depth = base;
    if (sync.resume) {
      return;
    }
    // Skip the rest of the broken entry: to the end of its line, or past the brackets it left open, but
    // never past a line that starts a new entry.
    while (true) {
      Token token = next();
      switch (token.type()) {
        case EOF:
          return;
        case LBRACKET:
        case LBRACE:
        case LPAREN:
          open++;
          break;
        case RBRACKET:
        case RBRACE:
        case RPAREN:
          open--;
          break;
        case NEWLINE:
          if (open <= 0 || startsStatement(index)) {
            return;
          }
          break;
        default:
          break;
      }
    }
  }

  /** Whether the token at {@code i} starts a line the way an entry, a header or a block close does. */
  private boolean startsStatement(int i) {
    Token token = tokens.get(i);
    if (!token.firstOnLine()) {
      return false;
    }
    TokenType nextType = i + 1 < tokens.size() ? tokens.get(i + 1).type() : TokenType.EOF;
    switch (token.type()) {
      case IDENT:
        return !isKeyword(token.text())
            && (nextType == TokenType.COLON
                || nextType == TokenType.EQUALS
                || nextType == TokenType.LBRACE
                || nextType == TokenType.GT);
      case VAR:
        return nextType == TokenType.COLON || nextType == TokenType.EQUALS;
      case RBRACE:
      case LT:
        return true;
      case LBRACKET:
        return looksLikeHeader(i);
      default:
        return false;
    }
  }

  /** {@code [name]} alone on its line. */
  private boolean looksLikeHeader(int i) {
    if (i + 3 >= tokens.size()) {
      return false;
    }
    Token open = tokens.get(i);
    Token name = tokens.get(i + 1);
    TokenType end = tokens.get(i + 3).type();
    return open.type() == TokenType.LBRACKET
        && open.firstOnLine()
        && name.type() == TokenType.IDENT
        && !isKeyword(name.text())
        && tokens.get(i + 2).type() == TokenType.RBRACKET
        && (end == TokenType.NEWLINE || end == TokenType.EOF);
  }

  private static boolean isKeyword(String text) {
    return text.equals("true") || text.equals("false") || text.equals("null");
  }

  /** Guards the entry loops: an iteration that consumed nothing would repeat forever. */
  private void ensureProgress(Token start) {
    if (peek() == start && start.type() != TokenType.EOF) {
      throw new IllegalStateException("parser made no progress at " + start.position());
    }
  }

  // ---- tokens ----

  private Token peek() {
    return tokens.get(index);
  }

  private Token next() {
    Token token = tokens.get(index);
    if (token.type() != TokenType.EOF) {
      index++;
    }
    return token;
  }

  /** Recovery skips to the end of the line; a line end that was the error must not be skipped past. */
  private void unreadLineEnd(Token token) {
    if (token.type() == TokenType.NEWLINE) {
      index--;
    }
  }

  private void skipNewlines() {
    while (peek().type() == TokenType.NEWLINE) {
      index++;
    }
  }
}
