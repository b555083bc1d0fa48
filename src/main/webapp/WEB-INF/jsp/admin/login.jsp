<%@ page contentType="text/html;charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%-- The container's FORM login page (web.xml login-config): posts to j_security_check. --%>
<%@ include file="_header.jspf" %>
<section class="login">
  <h1>Log in</h1>
  <c:if test="${loginFailed}"><p class="error" id="login-error">The user name or password is wrong. Try again.</p></c:if>
  <form id="login" method="post" action="${base}/admin/j_security_check">
    <label>User <input type="text" name="j_username" autocomplete="username" required autofocus></label>
    <label>Password <input type="password" name="j_password" autocomplete="current-password" required></label>
    <button type="submit" id="login-submit">Log in</button>
  </form>
  <p class="note">Users and their roles (infolink-admin, infolink-viewer) come from the Tomcat Realm, e.g. conf/tomcat-users.xml.</p>
</section>
<%@ include file="_footer.jspf" %>
