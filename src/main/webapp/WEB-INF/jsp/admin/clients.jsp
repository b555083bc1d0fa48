<%@ page contentType="text/html;charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ include file="_header.jspf" %>
<%-- &#32; where a space follows a JSP tag or ${...}: with trimDirectiveWhitespaces Jasper drops it. --%>
<h1>Clients</h1>
<p class="note">The API clients of clients.yaml. Keys, secrets and their hashes are never shown.</p>
<div class="table-wrap"><table id="clients">
  <thead><tr><th>Client</th><th>Apps</th><th>Operations</th><th>API key</th><th>OAuth2 client id</th></tr></thead>
  <tbody>
  <c:forEach items="${model}" var="client">
    <tr><td><c:out value="${client.name}"/></td><td><c:out value="${client.apps}"/></td>
      <td><c:forEach items="${client.operations}" var="op" varStatus="s"><code><c:out value="${op}"/></code><c:if test="${not s.last}">&#32;</c:if></c:forEach></td>
      <td><c:out value="${client.apiKey ? 'yes' : 'no'}"/></td><td><c:out value="${empty client.clientId ? '-' : client.clientId}"/></td></tr>
  </c:forEach>
  </tbody>
</table></div>
<c:if test="${empty model}"><p class="empty">No client is configured: nobody can call the API.</p></c:if>
<%@ include file="_footer.jspf" %>
