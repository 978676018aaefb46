package io.tskotel.collector.alert.internal;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Mail over SMTP (Angus Mail): one message per group, to every {@code email_to} address. */
public final class EmailChannel implements Channel {
  private final Session session;
  private final InternetAddress from;
  private final InternetAddress[] to;

  public EmailChannel(String host, int port, @Nullable String user, @Nullable String password, boolean starttls,
      String from, List<String> to, Duration timeout) {
    Properties p = new Properties();
    p.put("mail.smtp.host", host);
    p.put("mail.smtp.port", Integer.toString(port));
    p.put("mail.smtp.starttls.enable", Boolean.toString(starttls));
    p.put("mail.smtp.starttls.required", Boolean.toString(starttls));
    String ms = Long.toString(timeout.toMillis());
    p.put("mail.smtp.connectiontimeout", ms);
    p.put("mail.smtp.timeout", ms);
    p.put("mail.smtp.writetimeout", ms);
    Authenticator auth = null;
    if (user != null) {
      p.put("mail.smtp.auth", "true");
      auth = new Authenticator() {
        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
          return new PasswordAuthentication(user, password == null ? "" : password);
        }
      };
    }
    this.session = Session.getInstance(p, auth);
    try {
      this.from = new InternetAddress(from, true);
      this.to = InternetAddress.parse(String.join(",", to), true);
    } catch (AddressException e) {
      throw new IllegalArgumentException("email address: " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return "email";
  }

  /** {@code [FIRING] high_cpu (warning)} for one alert; {@code [tskotel] 3 alerts (2 firing, 1 resolved)}. */
  public static String subject(List<Notice> notices) {
    if (notices.size() == 1) {
      Notice n = notices.get(0);
      return "[" + n.status().toUpperCase(java.util.Locale.ROOT) + "] " + n.type() + " (" + n.severity() + ")";
    }
    long firing = notices.stream().filter(Notice::firing).count();
    return "[tskotel] " + notices.size() + " alerts (" + firing + " firing, " + (notices.size() - firing)
        + " resolved)";
  }

  public static String body(List<Notice> notices) {
    return notices.stream()
        .map(n -> n.line() + "\n  value " + Conditions.number(n.value()) + ", threshold "
            + Conditions.number(n.threshold()) + ", since " + n.startedAt()
            + (n.resolvedAt() == null ? "" : ", resolved " + n.resolvedAt()) + ", fingerprint " + n.fingerprint())
        .collect(Collectors.joining("\n\n", "", "\n"));
  }

  @Override
  public void send(List<Notice> notices) throws SendException {
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(from);
      m.setRecipients(Message.RecipientType.TO, to);
      m.setSubject(subject(notices), "UTF-8");
      m.setText(body(notices), "UTF-8");
      Transport.send(m);
    } catch (SendFailedException e) {
      throw new SendException("email: refused (" + e.getClass().getSimpleName() + ")", false);
    } catch (MessagingException e) {
      throw new SendException("email: " + e.getClass().getSimpleName(), true);
    }
  }
}
