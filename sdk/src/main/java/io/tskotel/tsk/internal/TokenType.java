package io.tskotel.tsk.internal;

enum TokenType {
  IDENT("a key"),
  STRING("a string"),
  INT("an integer"),
  FLOAT("a float"),
  VAR("a $variable"),
  OPERATOR("an @operator"),
  LBRACKET("'['"),
  RBRACKET("']'"),
  LBRACE("'{'"),
  RBRACE("'}'"),
  LPAREN("'('"),
  RPAREN("')'"),
  COLON("':'"),
  EQUALS("'='"),
  COMMA("','"),
  GT("'>'"),
  LT("'<'"),
  NEWLINE("end of line"),
  /** A token the lexer already reported; the parser skips its line without a second error. */
  ERROR("invalid input"),
  EOF("end of file");

  final String description;

  TokenType(String description) {
    this.description = description;
  }
}
