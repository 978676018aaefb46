package io.tskotel.collector.cli;

/** Entry point of the {@code tskotel} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("tskotel");
  }
}
