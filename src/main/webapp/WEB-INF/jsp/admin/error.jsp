<%@ page contentType="text/html;charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%-- An error of the console, as HTML: ${model} is a Pages.Error; ${frame} is set for a logged-in user. --%>
<%@ include file="_header.jspf" %>
<section class="error-page">
  <h1><c:out value="${model.title}"/></h1>
  <p id="error-message"><c:out value="${model.message}"/></p>
  <p class="note">HTTP <span id="error-status"><c:out value="${model.status}"/></span> &middot; <a href="${base}/admin/">Back to the overview</a></p>
</section>
<%@ include file="_footer.jspf" %>
