<%@ page contentType="text/html;charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ include file="_header.jspf" %>
<%-- &#32; where a space follows a JSP tag or ${...}: with trimDirectiveWhitespaces Jasper drops it. --%>
<h1>Apps</h1>
<c:if test="${not empty model.problems}">
<section class="problems" id="problems">
  <h2>Invalid files</h2>
  <ul>
    <c:forEach items="${model.problems}" var="problem"><li><c:out value="${problem}"/></li></c:forEach>
  </ul>
</section>
</c:if>
<c:if test="${empty model.apps}"><p class="empty">No app is configured: add one under apps/ of the configuration home.</p></c:if>
<c:forEach items="${model.apps}" var="app">
<section class="app" id="app-${fn:escapeXml(app.id)}">
  <h2><c:out value="${app.name}"/>&#32;<span class="tag"><c:out value="${app.id}"/></span>
    <c:if test="${not app.valid}"><span class="badge completedWithError">invalid</span></c:if></h2>
  <c:if test="${not empty app.description}"><p><c:out value="${app.description}"/></p></c:if>
  <c:if test="${not app.valid}"><p class="reason"><c:out value="${app.invalidReason}"/></p></c:if>
  <h3>Sources</h3>
  <div class="table-wrap"><table>
    <thead><tr><th>Name</th><th>Kind</th><th>Database</th></tr></thead>
    <tbody>
    <c:forEach items="${app.sources}" var="source">
      <tr><td><c:out value="${source.name}"/><c:if test="${source.name == app.defaultSource}">&#32;<span class="tag">default</span></c:if></td>
        <td><c:out value="${source.kind}"/></td><td class="path"><c:out value="${source.target}"/></td></tr>
    </c:forEach>
    <c:if test="${empty app.sources}"><tr><td colspan="3">The server's default source.</td></tr></c:if>
    </tbody>
  </table></div>
  <c:if test="${not empty app.variables}"><p>Variables: <c:forEach items="${app.variables}" var="variable" varStatus="s"><code><c:out value="${variable}"/></code><c:if test="${not s.last}">, </c:if></c:forEach></p></c:if>
  <h3>Scenarios</h3>
  <div class="table-wrap"><table class="scenarios">
    <thead><tr><th>Scenario</th><th>Parameters</th><th>Status</th></tr></thead>
    <tbody>
    <c:forEach items="${app.scenarios}" var="scenario">
      <tr class="${scenario.valid ? '' : 'invalid'}" data-scenario="${fn:escapeXml(scenario.name)}">
        <td><strong><c:out value="${scenario.name}"/></strong><c:if test="${not empty scenario.description}"><br><span class="note"><c:out value="${scenario.description}"/></span></c:if></td>
        <td><c:forEach items="${scenario.parameters}" var="p" varStatus="s"><code><c:out value="${p.name}"/></code> <c:out value="${p.type}"/><c:if test="${p.required}"> (required)</c:if><c:if test="${not empty p.defaultText}"> = <c:out value="${p.defaultText}"/></c:if><c:if test="${not s.last}"><br></c:if></c:forEach></td>
        <td><c:choose><c:when test="${scenario.valid}"><span class="badge completed">valid</span></c:when>
          <c:otherwise><span class="badge completedWithError">invalid</span> <span class="reason"><c:out value="${scenario.invalidReason}"/></span></c:otherwise></c:choose></td>
      </tr>
    </c:forEach>
    <c:if test="${empty app.scenarios}"><tr><td colspan="3">No scenario.</td></tr></c:if>
    </tbody>
  </table></div>
</section>
</c:forEach>
<%@ include file="_footer.jspf" %>
